package io.flotilla.raft.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up settings of one Raft-backed service node. Each service binds them under its own prefix, for example
 * {@code @Bean @ConfigurationProperties("flotilla.registry") RaftServerProperties}, so three nodes run from
 * one jar with different {@code node-id}, ports and {@code data-dir}.
 */
public class RaftServerProperties {

    /** Id of this node, unique in the cluster and stable across restarts. */
    private String nodeId = "n1";

    /** Host this node's Raft transport binds to and, when it is not listed in peers, advertises. */
    private String raftHost = "127.0.0.1";

    /** TCP port of the node-to-node Raft protocol. */
    private int raftPort = 9500;

    /** HTTP port this node advertises to its peers for forwarded writes; 0 means the value of server.port. */
    private int httpPort;

    /** Founding members as id@host:raftPort[/httpPort] (the HTTP port defaults to raftPort - 1000); empty means a single-node cluster. */
    private List<String> peers = new ArrayList<>();

    /** Whether this node joins an existing cluster: it does not count itself a member until the leader adds it. */
    private boolean joining;

    /** Directory of the Raft log, snapshot and term; defaults to data/<service>/<node-id> under the working directory. */
    private Path dataDir;

    /** Lower bound of the randomized election timeout. */
    private Duration electionTimeoutMin = Duration.ofMillis(1000);

    /** Upper bound of the randomized election timeout. */
    private Duration electionTimeoutMax = Duration.ofMillis(2000);

    /** Interval of the leader's heartbeats. */
    private Duration heartbeatInterval = Duration.ofMillis(100);

    /** Applied log entries between two snapshots. */
    private long snapshotThreshold = 10_000;

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public String getRaftHost() {
        return raftHost;
    }

    public void setRaftHost(String raftHost) {
        this.raftHost = raftHost;
    }

    public int getRaftPort() {
        return raftPort;
    }

    public void setRaftPort(int raftPort) {
        this.raftPort = raftPort;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public List<String> getPeers() {
        return peers;
    }

    public void setPeers(List<String> peers) {
        this.peers = peers;
    }

    public boolean isJoining() {
        return joining;
    }

    public void setJoining(boolean joining) {
        this.joining = joining;
    }

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Duration getElectionTimeoutMin() {
        return electionTimeoutMin;
    }

    public void setElectionTimeoutMin(Duration electionTimeoutMin) {
        this.electionTimeoutMin = electionTimeoutMin;
    }

    public Duration getElectionTimeoutMax() {
        return electionTimeoutMax;
    }

    public void setElectionTimeoutMax(Duration electionTimeoutMax) {
        this.electionTimeoutMax = electionTimeoutMax;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public long getSnapshotThreshold() {
        return snapshotThreshold;
    }

    public void setSnapshotThreshold(long snapshotThreshold) {
        this.snapshotThreshold = snapshotThreshold;
    }
}

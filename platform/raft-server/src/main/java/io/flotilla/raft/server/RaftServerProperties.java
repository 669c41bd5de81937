package io.flotilla.raft.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of one Raft-backed service node. Each service binds them under its own server-side prefix
 * ({@code flotilla.registry.server}, {@code flotilla.coordinator}) with
 * {@code @Bean @ConfigurationProperties(prefix) RaftServerProperties}, so three nodes run from one jar with
 * different {@code node-id}, ports and {@code data-dir}.
 */
public class RaftServerProperties {

    /** Id of this node, unique in the cluster and stable across restarts. */
    private String nodeId = "n1";

    /** Host this node's Raft transport binds to and connects from; advertised when this node is not listed in peers. */
    private String raftHost = "127.0.0.1";

    /** TCP port of the node-to-node Raft protocol. */
    private int raftPort = 9500;

    /** HTTP port this node publishes to its peers, when it differs from the port the web server listens on (a port mapping); 0 means the web server's own port. */
    private int httpPort;

    /** Founding members as id@host:raftPort; each member publishes its own HTTP address through the log. Empty means a single-node cluster. */
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

    /** A snapshot also waits until the entries applied since the last one add up to this many times its size in bytes, so a large state is not rewritten every snapshot-threshold entries; 0 turns this off. */
    private double snapshotGrowthFactor = 1.0;

    /** Bearer token every write under /v1/ must carry (Authorization: Bearer ...); empty leaves writes open. Reads stay open. */
    private String token = "";

    /** How long a write may wait to commit before it fails with 503 and an unknown outcome. */
    private Duration submitTimeout = Duration.ofSeconds(10);

    /** How long a read may wait for the leader's ReadIndex round or a minimum index before it fails with 503. */
    private Duration readTimeout = Duration.ofSeconds(10);

    /** How long a request forwarded to the leader may take; longer than the longest blocking query. */
    private Duration forwardTimeout = Duration.ofSeconds(30);

    /** Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) that puts the Raft port on mutual TLS and that the node's own HTTP calls to its peers trust and present; empty for plain TCP. */
    private String sslBundle = "";

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

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public Duration getSubmitTimeout() {
        return submitTimeout;
    }

    public void setSubmitTimeout(Duration submitTimeout) {
        this.submitTimeout = submitTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public Duration getForwardTimeout() {
        return forwardTimeout;
    }

    public void setForwardTimeout(Duration forwardTimeout) {
        this.forwardTimeout = forwardTimeout;
    }

    public String getSslBundle() {
        return sslBundle;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public double getSnapshotGrowthFactor() {
        return snapshotGrowthFactor;
    }

    public void setSnapshotGrowthFactor(double snapshotGrowthFactor) {
        this.snapshotGrowthFactor = snapshotGrowthFactor;
    }

    public long getSnapshotThreshold() {
        return snapshotThreshold;
    }

    public void setSnapshotThreshold(long snapshotThreshold) {
        this.snapshotThreshold = snapshotThreshold;
    }
}

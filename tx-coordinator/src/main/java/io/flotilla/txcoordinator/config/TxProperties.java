package io.flotilla.txcoordinator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Settings of one coordinator node: its Raft identity and peers, and how phase two and timeouts are driven. */
@ConfigurationProperties("flotilla.tx")
public class TxProperties {

    /** Id of this node in the Raft group; must appear in peers when peers are given. */
    private String nodeId = "tx1";

    /** Host this node's Raft port binds to and is reached at by its peers. */
    private String raftHost = "127.0.0.1";

    /** TCP port of the Raft protocol. */
    private int raftPort = 9090;

    /** Every member of the group as id=host:port, this node included; empty runs one node on raft-host:raft-port. */
    private List<String> peers = new ArrayList<>();

    /** Directory of this node's Raft log, snapshots and vote; must survive restarts. */
    private Path dataDir = Path.of("data", "tx-coordinator");

    /** Timeout of a transaction begun without timeoutMs. */
    private Duration defaultTimeout = Duration.ofSeconds(60);

    /** How often the leader looks for ACTIVE transactions past their timeout. */
    private Duration timeoutSweepInterval = Duration.ofSeconds(1);

    /** How long finished transactions stay queryable before the leader purges them from the log's state. */
    private Duration retention = Duration.ofHours(24);

    /** Lower bound of the randomized Raft election timeout. */
    private Duration electionTimeoutMin = Duration.ofMillis(1000);

    /** Upper bound of the randomized Raft election timeout. */
    private Duration electionTimeoutMax = Duration.ofMillis(2000);

    /** Interval of the Raft leader's heartbeats. */
    private Duration heartbeatInterval = Duration.ofMillis(100);

    /** Applied log entries between two snapshots. */
    private long snapshotThreshold = 10_000;

    private final PhaseTwo phaseTwo = new PhaseTwo();

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

    public List<String> getPeers() {
        return peers;
    }

    public void setPeers(List<String> peers) {
        this.peers = peers;
    }

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Duration getDefaultTimeout() {
        return defaultTimeout;
    }

    public void setDefaultTimeout(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    public Duration getTimeoutSweepInterval() {
        return timeoutSweepInterval;
    }

    public void setTimeoutSweepInterval(Duration timeoutSweepInterval) {
        this.timeoutSweepInterval = timeoutSweepInterval;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
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

    public PhaseTwo getPhaseTwo() {
        return phaseTwo;
    }

    /** Retries of confirm/cancel (commit/rollback) calls to the participants. */
    public static class PhaseTwo {

        /** Delay before the first retry of a failed call; doubles per failure up to max-backoff. */
        private Duration initialBackoff = Duration.ofMillis(100);

        /** Longest delay between two retries; flagged branches keep retrying at this interval. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** Failed attempts after which a branch is flagged (metric and list) for an operator. */
        private int alertAfterAttempts = 10;

        /** Time limit of one call to a participant, connection included. */
        private Duration callTimeout = Duration.ofSeconds(5);

        /** How often the leader re-reads the log for phase-two work it is not yet doing. */
        private Duration reconcileInterval = Duration.ofSeconds(2);

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public int getAlertAfterAttempts() {
            return alertAfterAttempts;
        }

        public void setAlertAfterAttempts(int alertAfterAttempts) {
            this.alertAfterAttempts = alertAfterAttempts;
        }

        public Duration getCallTimeout() {
            return callTimeout;
        }

        public void setCallTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
        }

        public Duration getReconcileInterval() {
            return reconcileInterval;
        }

        public void setReconcileInterval(Duration reconcileInterval) {
            this.reconcileInterval = reconcileInterval;
        }
    }
}

package io.flotilla.raft;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a node. Start from {@link #defaults()} and change what you need with the {@code with*}
 * methods; every combination is validated when built.
 *
 * @param electionTimeoutMin   lower bound of the randomized election timeout; also the window of leader
 *                             stickiness and check-quorum
 * @param electionTimeoutMax   upper bound (exclusive of nothing: drawn uniformly from min..max)
 * @param heartbeatInterval    how often a leader sends heartbeats and retries stalled followers
 * @param maxBatchBytes        cap on the entries carried by one AppendEntries
 * @param maxInFlightAppends   AppendEntries a leader sends to one follower without waiting for an answer
 * @param snapshotThreshold    applied entries since the last snapshot that trigger a new one
 * @param snapshotChunkBytes   size of one InstallSnapshot chunk
 * @param sessionExpiryEntries a client session unused for this many log entries is forgotten
 * @param maxSessions          sessions kept at most; the least recently used is forgotten first
 * @param snapshotGrowthFactor 0 to snapshot every {@code snapshotThreshold} entries; above 0, a snapshot also waits
 *                             until the entries applied since the last one add up to this many times that snapshot's
 *                             size in bytes (the Raft dissertation's rule, section 5.1.3). A snapshot writes the whole
 *                             state on the node's loop: with a fixed entry count, a large state (a coordinator keeps
 *                             every finished transaction for its retention time) is written over and over, and the
 *                             cost per entry grows with the state; with this rule it stays bounded, at the price of a
 *                             log up to this factor times the state's size
 */
public record RaftOptions(Duration electionTimeoutMin, Duration electionTimeoutMax, Duration heartbeatInterval,
                          int maxBatchBytes, int maxInFlightAppends, long snapshotThreshold,
                          int snapshotChunkBytes, long sessionExpiryEntries, int maxSessions,
                          double snapshotGrowthFactor) {

    public RaftOptions {
        Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
        Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        require(heartbeatInterval.toMillis() >= 1, "heartbeatInterval must be at least 1ms");
        require(electionTimeoutMin.toMillis() > heartbeatInterval.toMillis(),
                "electionTimeoutMin must exceed heartbeatInterval");
        require(electionTimeoutMax.toMillis() > electionTimeoutMin.toMillis(),
                "electionTimeoutMax must exceed electionTimeoutMin so timeouts are randomized");
        require(maxBatchBytes >= 1, "maxBatchBytes must be positive");
        require(maxInFlightAppends >= 1, "maxInFlightAppends must be positive");
        require(snapshotThreshold >= 1, "snapshotThreshold must be positive");
        require(snapshotChunkBytes >= 1, "snapshotChunkBytes must be positive");
        require(sessionExpiryEntries >= 1, "sessionExpiryEntries must be positive");
        require(maxSessions >= 1, "maxSessions must be positive");
        require(snapshotGrowthFactor >= 0 && Double.isFinite(snapshotGrowthFactor),
                "snapshotGrowthFactor must be 0 (off) or positive");
    }

    /** One-second elections, 100ms heartbeats, 1 MiB batches, snapshots every 10,000 entries (no growth factor). */
    public static RaftOptions defaults() {
        return new RaftOptions(Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofMillis(100),
                1024 * 1024, 64, 10_000, 1024 * 1024, 1_000_000, 100_000, 0);
    }

    public RaftOptions withElectionTimeout(Duration min, Duration max) {
        return new RaftOptions(min, max, heartbeatInterval, maxBatchBytes, maxInFlightAppends, snapshotThreshold,
                snapshotChunkBytes, sessionExpiryEntries, maxSessions,
                snapshotGrowthFactor);
    }

    public RaftOptions withHeartbeatInterval(Duration interval) {
        return new RaftOptions(electionTimeoutMin, electionTimeoutMax, interval, maxBatchBytes, maxInFlightAppends,
                snapshotThreshold, snapshotChunkBytes, sessionExpiryEntries, maxSessions,
                snapshotGrowthFactor);
    }

    public RaftOptions withMaxBatchBytes(int bytes) {
        return new RaftOptions(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, bytes, maxInFlightAppends,
                snapshotThreshold, snapshotChunkBytes, sessionExpiryEntries, maxSessions,
                snapshotGrowthFactor);
    }

    public RaftOptions withMaxInFlightAppends(int appends) {
        return new RaftOptions(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxBatchBytes, appends,
                snapshotThreshold, snapshotChunkBytes, sessionExpiryEntries, maxSessions,
                snapshotGrowthFactor);
    }

    public RaftOptions withSnapshotThreshold(long entries) {
        return new RaftOptions(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxBatchBytes,
                maxInFlightAppends, entries, snapshotChunkBytes, sessionExpiryEntries, maxSessions,
                snapshotGrowthFactor);
    }

    public RaftOptions withSnapshotChunkBytes(int bytes) {
        return new RaftOptions(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxBatchBytes,
                maxInFlightAppends, snapshotThreshold, bytes, sessionExpiryEntries, maxSessions, snapshotGrowthFactor);
    }

    public RaftOptions withSessions(long expiryEntries, int max) {
        return new RaftOptions(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxBatchBytes,
                maxInFlightAppends, snapshotThreshold, snapshotChunkBytes, expiryEntries, max, snapshotGrowthFactor);
    }

    public RaftOptions withSnapshotGrowthFactor(double factor) {
        return new RaftOptions(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxBatchBytes,
                maxInFlightAppends, snapshotThreshold, snapshotChunkBytes, sessionExpiryEntries, maxSessions, factor);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

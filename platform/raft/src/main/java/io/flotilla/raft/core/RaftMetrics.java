package io.flotilla.raft.core;

/**
 * Events a node reports for observability. Gauges (role, term, indexes) are read from
 * {@link io.flotilla.raft.RaftStatus}; this carries what a status snapshot cannot: counts and latencies.
 * Kept free of Micrometer so the library runs without it on the classpath.
 */
public interface RaftMetrics {

    RaftMetrics NONE = new RaftMetrics() {
    };

    default void electionStarted() {
    }

    default void logSynced(long nanos) {
    }

    default void followerAdded(String followerId) {
    }
}

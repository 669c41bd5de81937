package io.flotilla.raft.storage;

import io.flotilla.raft.ClusterConfig;

import java.util.Objects;

/** Which prefix of the log a snapshot replaces, and the membership in force at its last entry. */
public record SnapshotMeta(long lastIncludedIndex, long lastIncludedTerm, ClusterConfig config) {

    public SnapshotMeta {
        if (lastIncludedIndex < 0 || lastIncludedTerm < 0) {
            throw new IllegalArgumentException("snapshot index and term must be >= 0");
        }
        Objects.requireNonNull(config, "config");
    }
}

package io.flotilla.raft.storage;

import java.util.Optional;

/** Durable home of the latest snapshot. */
public interface SnapshotStore {

    /** The latest complete snapshot, if any. A half-written one is never returned. */
    Optional<Snapshot> latest();

    /** Replaces the latest snapshot atomically and durably (write aside, fsync, rename). */
    void save(Snapshot snapshot);
}

package io.flotilla.raft.storage;

import java.util.Objects;

/** A state machine snapshot: its metadata and the bytes the state machine produced. */
public record Snapshot(SnapshotMeta meta, byte[] data) {

    public Snapshot {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(data, "data");
    }
}

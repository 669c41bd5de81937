package io.flotilla.raft.storage;

import io.flotilla.raft.log.LogStorage;

/** Everything a node keeps on disk. The simulator supplies an in-memory one with crash semantics. */
public interface RaftStorage extends AutoCloseable {

    LogStorage log();

    HardStateStore hardState();

    SnapshotStore snapshots();

    @Override
    void close();
}

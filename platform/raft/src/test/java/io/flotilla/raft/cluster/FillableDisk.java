package io.flotilla.raft.cluster;

import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.storage.HardState;
import io.flotilla.raft.storage.HardStateStore;
import io.flotilla.raft.storage.RaftStorage;
import io.flotilla.raft.storage.Snapshot;
import io.flotilla.raft.storage.SnapshotStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Real storage whose disk can be declared full: from then on every write and fsync fails the way the
 * file system would ({@code No space left on device}), while reads keep working. What was durable before
 * stays on disk, so a restart with the disk freed recovers from it.
 */
final class FillableDisk implements RaftStorage {

    private final RaftStorage disk;
    private final AtomicBoolean full;
    private final LogStorage log;
    private final HardStateStore hardState;
    private final SnapshotStore snapshots;

    FillableDisk(RaftStorage disk, AtomicBoolean full) {
        this.disk = disk;
        this.full = full;
        this.log = new Log(disk.log());
        this.hardState = new HardStateStore() {
            @Override
            public HardState load() {
                return disk.hardState().load();
            }

            @Override
            public void save(HardState state) {
                refuseWhenFull();
                disk.hardState().save(state);
            }
        };
        this.snapshots = new SnapshotStore() {
            @Override
            public Optional<Snapshot> latest() {
                return disk.snapshots().latest();
            }

            @Override
            public void save(Snapshot snapshot) {
                refuseWhenFull();
                disk.snapshots().save(snapshot);
            }
        };
    }

    @Override
    public LogStorage log() {
        return log;
    }

    @Override
    public HardStateStore hardState() {
        return hardState;
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public void close() {
        disk.close();
    }

    private void refuseWhenFull() {
        if (full.get()) {
            throw new UncheckedIOException(new IOException("No space left on device"));
        }
    }

    private final class Log implements LogStorage {

        private final LogStorage delegate;

        Log(LogStorage delegate) {
            this.delegate = delegate;
        }

        @Override
        public long firstIndex() {
            return delegate.firstIndex();
        }

        @Override
        public long lastIndex() {
            return delegate.lastIndex();
        }

        @Override
        public long snapshotIndex() {
            return delegate.snapshotIndex();
        }

        @Override
        public long snapshotTerm() {
            return delegate.snapshotTerm();
        }

        @Override
        public long term(long index) {
            return delegate.term(index);
        }

        @Override
        public LogEntry entry(long index) {
            return delegate.entry(index);
        }

        @Override
        public List<LogEntry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
            return delegate.entries(fromIndex, toIndexExclusive, maxBytes);
        }

        @Override
        public void append(List<LogEntry> entries) {
            refuseWhenFull();
            delegate.append(entries);
        }

        @Override
        public void truncateSuffix(long fromIndex) {
            refuseWhenFull();
            delegate.truncateSuffix(fromIndex);
        }

        @Override
        public void compactPrefix(long upToIndex, long termAtIndex) {
            refuseWhenFull();
            delegate.compactPrefix(upToIndex, termAtIndex);
        }

        @Override
        public void reset(long snapshotIndex, long snapshotTerm) {
            refuseWhenFull();
            delegate.reset(snapshotIndex, snapshotTerm);
        }

        @Override
        public void sync() {
            refuseWhenFull();
            delegate.sync();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}

package io.flotilla.raft.sim;

import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.storage.HardState;
import io.flotilla.raft.storage.HardStateStore;
import io.flotilla.raft.storage.RaftStorage;
import io.flotilla.raft.storage.Snapshot;
import io.flotilla.raft.storage.SnapshotStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * In-memory {@link RaftStorage} with the crash semantics of a real disk: log writes since the last
 * {@code sync()} are lost on a crash except for a random prefix of them, whose last append may be torn
 * (only some of its entries survive); synced entries, hard state and snapshots always survive.
 */
final class MemoryRaftStorage implements RaftStorage {

    private HardState hardState = HardState.INITIAL;
    private Snapshot snapshot;
    private final MemoryLog log = new MemoryLog();

    @Override
    public LogStorage log() {
        return log;
    }

    @Override
    public HardStateStore hardState() {
        return new HardStateStore() {
            @Override
            public HardState load() {
                return hardState;
            }

            @Override
            public void save(HardState state) {
                hardState = state;
            }
        };
    }

    @Override
    public SnapshotStore snapshots() {
        return new SnapshotStore() {
            @Override
            public Optional<Snapshot> latest() {
                return Optional.ofNullable(snapshot);
            }

            @Override
            public void save(Snapshot saved) {
                snapshot = saved;
            }
        };
    }

    @Override
    public void close() {
    }

    MemoryLog memoryLog() {
        return log;
    }

    HardState currentHardState() {
        return hardState;
    }

    /** The process died: keep what a disk would. */
    void crash(RandomGenerator random) {
        log.crash(random);
    }

    /** The log as a list, plus the disk image the last sync made, with unsynced operations replayable. */
    static final class MemoryLog implements LogStorage {

        private sealed interface Op {
        }

        private record Append(List<LogEntry> entries) implements Op {
        }

        private record Truncate(long fromIndex) implements Op {
        }

        private record Compact(long upToIndex, long term) implements Op {
        }

        private record Reset(long index, long term) implements Op {
        }

        private long snapshotIndex;
        private long snapshotTerm;
        private ArrayList<LogEntry> entries = new ArrayList<>();

        private long durableSnapshotIndex;
        private long durableSnapshotTerm;
        private ArrayList<LogEntry> durableEntries = new ArrayList<>();
        private final List<Op> unsynced = new ArrayList<>();
        /** Lowest index changed since the checker last looked (for incremental log-matching checks). */
        long dirtyFrom = 1;

        @Override
        public long firstIndex() {
            return snapshotIndex + 1;
        }

        @Override
        public long lastIndex() {
            return snapshotIndex + entries.size();
        }

        @Override
        public long snapshotIndex() {
            return snapshotIndex;
        }

        @Override
        public long snapshotTerm() {
            return snapshotTerm;
        }

        @Override
        public long term(long index) {
            if (index == snapshotIndex) {
                return snapshotTerm;
            }
            if (index < snapshotIndex || index > lastIndex()) {
                throw new IndexOutOfBoundsException("index " + index + " outside " + snapshotIndex + ".."
                        + lastIndex());
            }
            return entries.get((int) (index - snapshotIndex - 1)).term();
        }

        @Override
        public LogEntry entry(long index) {
            if (index <= snapshotIndex || index > lastIndex()) {
                throw new IndexOutOfBoundsException("index " + index + " outside " + firstIndex() + ".."
                        + lastIndex());
            }
            return entries.get((int) (index - snapshotIndex - 1));
        }

        @Override
        public List<LogEntry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
            List<LogEntry> result = new ArrayList<>();
            long bytes = 0;
            for (long index = fromIndex; index < toIndexExclusive; index++) {
                LogEntry entry = entry(index);
                if (!result.isEmpty() && bytes + entry.sizeInBytes() > maxBytes) {
                    break;
                }
                bytes += entry.sizeInBytes();
                result.add(entry);
            }
            return result;
        }

        @Override
        public void append(List<LogEntry> appended) {
            if (appended.isEmpty()) {
                return;
            }
            if (appended.getFirst().index() != lastIndex() + 1) {
                throw new IllegalArgumentException("append at " + appended.getFirst().index() + " after "
                        + lastIndex());
            }
            apply(new Append(List.copyOf(appended)));
        }

        @Override
        public void truncateSuffix(long fromIndex) {
            apply(new Truncate(fromIndex));
        }

        @Override
        public void compactPrefix(long upToIndex, long termAtIndex) {
            apply(new Compact(upToIndex, termAtIndex));
        }

        @Override
        public void reset(long index, long term) {
            apply(new Reset(index, term));
        }

        @Override
        public void sync() {
            durableSnapshotIndex = snapshotIndex;
            durableSnapshotTerm = snapshotTerm;
            durableEntries = new ArrayList<>(entries);
            unsynced.clear();
        }

        @Override
        public void close() {
        }

        private void apply(Op op) {
            unsynced.add(op);
            perform(op);
        }

        private void perform(Op op) {
            switch (op) {
                case Append append -> {
                    dirtyFrom = Math.min(dirtyFrom, append.entries().getFirst().index());
                    entries.addAll(append.entries());
                }
                case Truncate truncate -> {
                    dirtyFrom = Math.min(dirtyFrom, truncate.fromIndex());
                    while (lastIndex() >= truncate.fromIndex() && !entries.isEmpty()) {
                        entries.removeLast();
                    }
                }
                case Compact compact -> {
                    if (compact.upToIndex() > snapshotIndex) {
                        int drop = (int) Math.min(entries.size(), compact.upToIndex() - snapshotIndex);
                        entries = new ArrayList<>(entries.subList(drop, entries.size()));
                        snapshotIndex = compact.upToIndex();
                        snapshotTerm = compact.term();
                    }
                }
                case Reset reset -> {
                    dirtyFrom = Math.min(dirtyFrom, reset.index() + 1);
                    entries = new ArrayList<>();
                    snapshotIndex = reset.index();
                    snapshotTerm = reset.term();
                }
            }
        }

        void crash(RandomGenerator random) {
            List<Op> pending = List.copyOf(unsynced);
            snapshotIndex = durableSnapshotIndex;
            snapshotTerm = durableSnapshotTerm;
            entries = new ArrayList<>(durableEntries);
            unsynced.clear();
            // Half the time nothing unsynced reaches the disk; otherwise a random prefix of it does.
            int survivors = pending.isEmpty() || random.nextBoolean() ? 0 : random.nextInt(pending.size() + 1);
            for (int i = 0; i < survivors; i++) {
                Op op = pending.get(i);
                if (i == survivors - 1 && op instanceof Append append && append.entries().size() > 1) {
                    op = new Append(append.entries().subList(0, 1 + random.nextInt(append.entries().size())));
                }
                perform(op);
            }
            sync();
            dirtyFrom = 1;
        }
    }
}

package io.flotilla.raft.storage.file;

import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * How {@link FileRaftStorage} writes.
 *
 * @param segmentSizeBytes size at which the log rolls to a new segment file (one record may exceed it);
 *                         at most {@link #MAX_SEGMENT_SIZE}
 * @param fsync            whether writes are forced to disk; {@code false} only through
 *                         {@link #unsafeWithoutFsyncForTests()}
 * @param syncListener     receives the duration in nanoseconds of every log {@code sync()} that wrote
 *                         something (for an fsync latency metric)
 */
public record StorageOptions(long segmentSizeBytes, boolean fsync, LongConsumer syncListener) {

    public static final long DEFAULT_SEGMENT_SIZE = 64L * 1024 * 1024;
    /** Recovery reads a whole segment into one array. */
    public static final long MAX_SEGMENT_SIZE = 1024L * 1024 * 1024;

    private static final LongConsumer NO_LISTENER = nanos -> { };

    public StorageOptions {
        if (segmentSizeBytes < SegmentFormat.HEADER_SIZE + SegmentFormat.RECORD_OVERHEAD
                || segmentSizeBytes > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segment size too small: " + segmentSizeBytes);
        }
        Objects.requireNonNull(syncListener, "syncListener");
    }

    public static StorageOptions defaults() {
        return new StorageOptions(DEFAULT_SEGMENT_SIZE, true, NO_LISTENER);
    }

    public StorageOptions withSegmentSize(long bytes) {
        return new StorageOptions(bytes, fsync, syncListener);
    }

    public StorageOptions withSyncListener(LongConsumer listener) {
        return new StorageOptions(segmentSizeBytes, fsync, listener);
    }

    /**
     * Never forces anything to disk. A machine crash then loses acknowledged entries and votes, which
     * breaks Raft; this exists for tests and benchmarks that measure everything but the disk.
     */
    public StorageOptions unsafeWithoutFsyncForTests() {
        return new StorageOptions(segmentSizeBytes, false, syncListener);
    }
}

package io.flotilla.raft.storage.file;

import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.log.LogStorage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The Raft log in a directory of segment files (layout in {@link SegmentFormat}) plus a small {@code meta}
 * file holding the snapshot index and term the log starts after.
 *
 * <p>{@link #append} writes each batch to the active segment with one positional write (into the page
 * cache); {@link #sync} forces every segment written, rolled or truncated since the last sync, and the
 * directory when a segment was created, so a batch of many entries costs one fsync. Segments roll once
 * the next record would take the active one past the configured size.
 *
 * <p>Opening recovers from a crash: a torn record at the end of the last segment (a short read, or a bad
 * length or CRC with no valid record after it) is cut off with a WARN. Any other damage throws
 * {@link CorruptLogException}: a committed entry is never dropped silently.
 */
public final class SegmentedLogStorage implements LogStorage {

    private static final int META_MAGIC = 0x46524C4D;
    private static final int WRITE_CHUNK = 8 * 1024 * 1024;

    private final Path directory;
    private final long segmentSize;
    private final boolean fsync;
    private final LongConsumer syncListener;
    private final DurableFile meta;
    /** Ascending by first index; the first may start at or before the snapshot index. */
    private final List<Segment> segments = new ArrayList<>();
    private final Set<Segment> unsynced = new LinkedHashSet<>();
    private boolean directoryUnsynced;
    private long snapshotIndex;
    private long snapshotTerm;
    private long lastIndex;

    private SegmentedLogStorage(Path directory, StorageOptions options) {
        this.directory = directory;
        this.segmentSize = options.segmentSizeBytes();
        this.fsync = options.fsync();
        this.syncListener = options.syncListener();
        this.meta = new DurableFile(directory.resolve("meta"), META_MAGIC, fsync);
    }

    /** Opens (creating when absent) the log in {@code directory}, recovering from a crash. */
    public static SegmentedLogStorage open(Path directory, StorageOptions options) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log directory " + directory, e);
        }
        SegmentedLogStorage storage = new SegmentedLogStorage(directory, options);
        try {
            storage.recover();
        } catch (RuntimeException e) {
            // A refused start must not leak the segments already opened (the node may be retried in-process).
            storage.closeSegments();
            throw e;
        }
        return storage;
    }

    private void recover() {
        meta.deleteLeftoverTemp();
        meta.read().ifPresent(payload -> {
            snapshotIndex = payload.getLong();
            snapshotTerm = payload.getLong();
        });
        lastIndex = snapshotIndex;
        List<Map.Entry<Long, Path>> files = new ArrayList<>(listSegmentFiles().entrySet());
        for (int i = 0; i < files.size(); i++) {
            long firstIndex = files.get(i).getKey();
            Path path = files.get(i).getValue();
            boolean last = i == files.size() - 1;
            if (!last && files.get(i + 1).getKey() <= snapshotIndex + 1) {
                // Wholly covered by the snapshot: a compaction deleted it but crashed before the delete was durable.
                deleteFile(path);
                continue;
            }
            Segment segment = SegmentScanner.scan(path, firstIndex, last, fsync);
            if (segment == null) {
                continue;
            }
            long expectedFirst = segments.isEmpty() ? Math.min(firstIndex, snapshotIndex + 1)
                    : segments.getLast().lastIndex() + 1;
            if (firstIndex != expectedFirst) {
                segment.close();
                closeSegments();
                String previous = segments.isEmpty() ? "the snapshot ends at index " + snapshotIndex
                        : segments.getLast().path().getFileName() + " ends at index " + segments.getLast().lastIndex();
                throw new CorruptLogException(path, 0, "segment starts at index " + firstIndex + " but " + previous
                        + ": the log has a gap or an overlap");
            }
            segments.add(segment);
        }
        if (!segments.isEmpty() && segments.getLast().lastIndex() <= snapshotIndex) {
            segments.forEach(Segment::delete);
            segments.clear();
        }
        if (!segments.isEmpty()) {
            lastIndex = segments.getLast().lastIndex();
        }
    }

    private Map<Long, Path> listSegmentFiles() {
        Map<Long, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.forEach(path -> {
                long firstIndex = SegmentFormat.parseFileName(path.getFileName().toString());
                if (firstIndex > 0) {
                    files.put(firstIndex, path);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list log directory " + directory, e);
        }
        return files;
    }

    @Override
    public long firstIndex() {
        return snapshotIndex + 1;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
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
        checkHeld(index);
        return segmentFor(index).term(index);
    }

    @Override
    public LogEntry entry(long index) {
        checkHeld(index);
        List<LogEntry> one = new ArrayList<>(1);
        segmentFor(index).read(index, index, one);
        return one.getFirst();
    }

    /** As specified by {@link LogStorage}; {@code toIndexExclusive} beyond the last entry is clamped to it. */
    @Override
    public List<LogEntry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
        long to = Math.min(toIndexExclusive, lastIndex + 1);
        if (fromIndex >= to) {
            return List.of();
        }
        checkHeld(fromIndex);
        List<LogEntry> result = new ArrayList<>();
        long bytes = 0;
        long index = fromIndex;
        while (index < to) {
            Segment segment = segmentFor(index);
            long runEnd = Math.min(to - 1, segment.lastIndex());
            long last = index - 1;
            while (last < runEnd) {
                // sizeInBytes() is data + 24, one less than the record on disk.
                long entryBytes = segment.recordSize(last + 1) - 1L;
                if (!(result.isEmpty() && last < index) && bytes + entryBytes > maxBytes) {
                    break;
                }
                bytes += entryBytes;
                last++;
            }
            if (last >= index) {
                segment.read(index, last, result);
            }
            if (last < runEnd) {
                break;
            }
            index = last + 1;
        }
        return result;
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).index() != lastIndex + 1 + i) {
                throw new IllegalArgumentException("entry " + entries.get(i).index() + " does not continue the log at "
                        + (lastIndex + 1 + i));
            }
        }
        int next = 0;
        while (next < entries.size()) {
            Segment active = activeSegmentFor(entries.get(next));
            next = appendRun(active, entries, next);
            unsynced.add(active);
        }
        lastIndex = entries.getLast().index();
    }

    private Segment activeSegmentFor(LogEntry entry) {
        Segment active = segments.isEmpty() ? null : segments.getLast();
        if (active == null || active.count() > 0 && active.size() + SegmentFormat.recordSize(entry) > segmentSize) {
            active = Segment.create(directory, entry.index());
            segments.add(active);
            directoryUnsynced = true;
        }
        return active;
    }

    /** Writes the entries from {@code from} that fit into {@code active} with one write; returns the next. */
    private int appendRun(Segment active, List<LogEntry> entries, int from) {
        long room = segmentSize - active.size();
        int end = from + 1;
        long bytes = SegmentFormat.recordSize(entries.get(from));
        while (end < entries.size()) {
            int size = SegmentFormat.recordSize(entries.get(end));
            if (bytes + size > room || bytes + size > WRITE_CHUNK) {
                break;
            }
            bytes += size;
            end++;
        }
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(bytes));
        long[] terms = new long[end - from];
        int[] sizes = new int[end - from];
        for (int i = from; i < end; i++) {
            SegmentFormat.writeRecord(entries.get(i), buffer);
            terms[i - from] = entries.get(i).term();
            sizes[i - from] = SegmentFormat.recordSize(entries.get(i));
        }
        active.appendEncoded(buffer.flip(), terms, sizes, end - from);
        return end;
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        if (fromIndex > lastIndex) {
            return;
        }
        if (fromIndex <= snapshotIndex) {
            throw new IllegalArgumentException("cannot truncate from " + fromIndex
                    + ": entries up to " + snapshotIndex + " are covered by a snapshot");
        }
        boolean deleted = false;
        while (!segments.isEmpty() && segments.getLast().firstIndex() >= fromIndex) {
            Segment removed = segments.removeLast();
            unsynced.remove(removed);
            removed.delete();
            deleted = true;
        }
        if (deleted && fsync) {
            // Must be durable before the cut below: a later segment surviving a crash after it would leave a gap.
            DurableFile.forceDirectory(directory);
        }
        if (!segments.isEmpty() && segments.getLast().lastIndex() >= fromIndex) {
            Segment containing = segments.getLast();
            containing.truncateFrom(fromIndex);
            unsynced.add(containing);
        }
        lastIndex = fromIndex - 1;
    }

    @Override
    public void compactPrefix(long upToIndex, long termAtIndex) {
        if (upToIndex <= snapshotIndex) {
            return;
        }
        if (upToIndex <= lastIndex && term(upToIndex) != termAtIndex) {
            throw new IllegalArgumentException("entry " + upToIndex + " has term " + term(upToIndex)
                    + ", not the snapshot's term " + termAtIndex);
        }
        writeMeta(upToIndex, termAtIndex);
        if (upToIndex >= lastIndex) {
            deleteAllSegments();
            lastIndex = upToIndex;
        } else {
            while (segments.size() > 1 && segments.get(1).firstIndex() <= upToIndex + 1) {
                Segment removed = segments.removeFirst();
                unsynced.remove(removed);
                removed.delete();
                directoryUnsynced = true;
            }
        }
    }

    @Override
    public void reset(long snapshotIndex, long snapshotTerm) {
        deleteAllSegments();
        if (fsync) {
            // Old entries must be gone for good before the new start is recorded, or they could reappear after it.
            DurableFile.forceDirectory(directory);
        }
        writeMeta(snapshotIndex, snapshotTerm);
        lastIndex = snapshotIndex;
    }

    @Override
    public void sync() {
        if (unsynced.isEmpty() && !directoryUnsynced) {
            return;
        }
        long start = System.nanoTime();
        if (fsync) {
            unsynced.forEach(Segment::force);
            if (directoryUnsynced) {
                DurableFile.forceDirectory(directory);
            }
        }
        unsynced.clear();
        directoryUnsynced = false;
        syncListener.accept(System.nanoTime() - start);
    }

    @Override
    public void close() {
        closeSegments();
    }

    /** Segment files currently making up the log, oldest first (for tests and diagnostics). */
    public List<Path> segmentFiles() {
        return segments.stream().map(Segment::path).toList();
    }

    private void writeMeta(long index, long term) {
        meta.write(ByteBuffer.allocate(16).putLong(index).putLong(term).flip());
        snapshotIndex = index;
        snapshotTerm = term;
    }

    private void deleteAllSegments() {
        segments.forEach(Segment::delete);
        segments.clear();
        unsynced.clear();
        directoryUnsynced = true;
    }

    private void closeSegments() {
        segments.forEach(Segment::close);
    }

    private void checkHeld(long index) {
        if (index <= snapshotIndex || index > lastIndex) {
            throw new IndexOutOfBoundsException("index " + index + " is outside the log " + firstIndex() + ".." + lastIndex);
        }
    }

    private Segment segmentFor(long index) {
        int low = 0;
        int high = segments.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (segments.get(mid).firstIndex() <= index) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return segments.get(low);
    }

    private static void deleteFile(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}

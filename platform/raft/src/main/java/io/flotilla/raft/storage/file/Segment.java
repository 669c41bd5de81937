package io.flotilla.raft.storage.file;

import io.flotilla.raft.log.LogEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * One segment file and the in-memory index of its records: the byte position and term of each entry, so
 * that a term lookup needs no I/O and an entry read is one positional read.
 */
final class Segment {

    private final Path path;
    private final long firstIndex;
    private final FileChannel channel;
    private long[] positions = new long[64];
    private long[] terms = new long[64];
    private int count;
    private long size;

    private Segment(Path path, long firstIndex, FileChannel channel, long size) {
        this.path = path;
        this.firstIndex = firstIndex;
        this.channel = channel;
        this.size = size;
    }

    static Segment create(Path directory, long firstIndex) {
        Path path = directory.resolve(SegmentFormat.fileName(firstIndex));
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            writeFully(channel, path, SegmentFormat.header(firstIndex), 0);
            return new Segment(path, firstIndex, channel, SegmentFormat.HEADER_SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log segment " + path, e);
        }
    }

    /** Opens an existing segment whose records the caller has scanned and will {@link #addScanned add}. */
    static Segment openScanned(Path path, long firstIndex, long validSize) {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new Segment(path, firstIndex, channel, validSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log segment " + path, e);
        }
    }

    Path path() {
        return path;
    }

    long firstIndex() {
        return firstIndex;
    }

    /** Index of the last record, {@code firstIndex() - 1} when the segment holds none. */
    long lastIndex() {
        return firstIndex + count - 1;
    }

    int count() {
        return count;
    }

    long size() {
        return size;
    }

    long term(long index) {
        return terms[slot(index)];
    }

    void addScanned(long position, long term) {
        if (count == positions.length) {
            positions = Arrays.copyOf(positions, count * 2);
            terms = Arrays.copyOf(terms, count * 2);
        }
        positions[count] = position;
        terms[count] = term;
        count++;
    }

    /** Forgets the bytes after {@code validSize}, which recovery cut off as a torn tail. */
    void truncateScannedSize(long validSize) {
        size = validSize;
    }

    /** Writes records already encoded in {@code records} (entries {@code lastIndex()+1...}) at the end. */
    void appendEncoded(ByteBuffer records, long[] recordTerms, int[] recordSizes, int recordCount) {
        long position = size;
        writeFully(channel, path, records, position);
        for (int i = 0; i < recordCount; i++) {
            addScanned(position, recordTerms[i]);
            position += recordSizes[i];
        }
        size = position;
    }

    /** Bytes of the record holding {@code index}, prefix included. */
    int recordSize(long index) {
        int slot = slot(index);
        long end = slot + 1 < count ? positions[slot + 1] : size;
        return (int) (end - positions[slot]);
    }

    /** Reads entries {@code from..to} (inclusive) with one positional read, checking every CRC. */
    void read(long from, long to, List<LogEntry> into) {
        long start = positions[slot(from)];
        long end = slot(to) + 1 < count ? positions[slot(to) + 1] : size;
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(end - start));
        readFully(buffer, start);
        buffer.flip();
        for (long index = from; index <= to; index++) {
            int offset = buffer.position();
            int length = buffer.getInt();
            int crc = buffer.getInt();
            int bodyStart = buffer.position();
            if (length != recordSize(index) - SegmentFormat.RECORD_PREFIX
                    || SegmentFormat.crc(buffer, bodyStart, length) != crc) {
                throw new CorruptLogException(path, start + offset,
                        "record of index " + index + " changed on disk since it was written (checksum mismatch)");
            }
            LogEntry entry = SegmentFormat.decodeBody(buffer.slice(bodyStart, length));
            if (entry.index() != index) {
                throw new CorruptLogException(path, start + offset,
                        "expected index " + index + " but the record holds " + entry.index());
            }
            into.add(entry);
            buffer.position(bodyStart + length);
        }
    }

    /** Cuts the file right before the record of {@code index}. */
    void truncateFrom(long index) {
        long position = positions[slot(index)];
        try {
            channel.truncate(position);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate log segment " + path, e);
        }
        count = slot(index);
        size = position;
    }

    void force() {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync log segment " + path, e);
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close log segment " + path, e);
        }
    }

    void delete() {
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete log segment " + path, e);
        }
    }

    private int slot(long index) {
        long slot = index - firstIndex;
        if (slot < 0 || slot >= count) {
            throw new IndexOutOfBoundsException("index " + index + " is not in segment " + path.getFileName());
        }
        return (int) slot;
    }

    private void readFully(ByteBuffer buffer, long position) {
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position + buffer.position());
                if (read < 0) {
                    throw new CorruptLogException(path, position + buffer.position(), "file ends inside a record");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log segment " + path, e);
        }
    }

    private static void writeFully(FileChannel channel, Path path, ByteBuffer buffer, long position) {
        try {
            long at = position;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log segment " + path, e);
        }
    }

    @Override
    public String toString() {
        return path.getFileName() + "[" + firstIndex + ".." + lastIndex() + ", " + size + " bytes]";
    }
}

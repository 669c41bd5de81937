package io.flotilla.raft.storage.file;

import io.flotilla.raft.log.EntryType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a segment at start-up, checking every record, and decides what a damaged record means.
 *
 * <p>A crash can only tear the end of what was being written, which is the end of the last segment. So a
 * bad record there (cut short, or a length or CRC that does not check out) is a torn write when no valid
 * record follows it, and is cut off. Anything else (damage in an earlier segment, damage followed by a
 * valid record, a record with a valid CRC but the wrong index) cannot come from a crash and may hide
 * committed entries: {@link CorruptLogException}.
 */
final class SegmentScanner {

    private static final Logger log = LoggerFactory.getLogger(SegmentScanner.class);

    private SegmentScanner() {
    }

    /** The scanned segment, or {@code null} when it was a last segment torn before its header was complete. */
    static Segment scan(Path path, long firstIndex, boolean last, boolean fsync) {
        ByteBuffer file = ByteBuffer.wrap(readAll(path));
        int size = file.capacity();
        if (size < SegmentFormat.HEADER_SIZE && last) {
            log.warn("Deleting log segment {}: its header is torn ({} of {} bytes), it was being created when"
                    + " the node stopped", path, size, SegmentFormat.HEADER_SIZE);
            deleteTorn(path, fsync);
            return null;
        }
        if (size < SegmentFormat.HEADER_SIZE || file.getInt(0) != SegmentFormat.MAGIC) {
            throw new CorruptLogException(path, 0, "not a log segment (bad or missing header magic)");
        }
        if (file.get(4) != SegmentFormat.VERSION) {
            throw new CorruptLogException(path, 4, "unsupported segment format version " + file.get(4));
        }
        if (file.getLong(8) != firstIndex) {
            throw new CorruptLogException(path, 8, "header says first index " + file.getLong(8)
                    + " but the file name says " + firstIndex);
        }
        Segment segment = Segment.openScanned(path, firstIndex, size);
        int position = SegmentFormat.HEADER_SIZE;
        long expectedIndex = firstIndex;
        while (position < size) {
            String problem = checkRecord(file, position);
            if (problem != null) {
                if (!last) {
                    segment.close();
                    throw new CorruptLogException(path, position, problem + " in a segment that is not the last");
                }
                int validAfter = findValidRecord(file, position + 1);
                if (validAfter >= 0) {
                    segment.close();
                    throw new CorruptLogException(path, position, problem + ", yet a valid record follows at offset "
                            + validAfter + ", so this is not a torn write");
                }
                log.warn("Truncating torn tail of log segment {} at byte offset {} ({} bytes dropped): {}; the last"
                        + " write before the node stopped was incomplete and was never synced", path, position,
                        size - position, problem);
                cut(segment, path, position, fsync);
                return segment;
            }
            int length = file.getInt(position);
            long index = file.getLong(position + SegmentFormat.RECORD_PREFIX);
            long term = file.getLong(position + SegmentFormat.RECORD_PREFIX + 8);
            int typeCode = file.get(position + SegmentFormat.RECORD_PREFIX + 16);
            if (index != expectedIndex) {
                segment.close();
                throw new CorruptLogException(path, position, "record holds index " + index + " where index "
                        + expectedIndex + " belongs");
            }
            if (typeCode < 0 || typeCode >= EntryType.values().length || term < 0) {
                segment.close();
                throw new CorruptLogException(path, position, "record of index " + index
                        + " has a valid checksum but an impossible type " + typeCode + " or term " + term);
            }
            segment.addScanned(position, term);
            position += SegmentFormat.RECORD_PREFIX + length;
            expectedIndex++;
        }
        return segment;
    }

    /** Why the record at {@code position} is not intact, or {@code null} when it is. */
    private static String checkRecord(ByteBuffer file, int position) {
        int remaining = file.capacity() - position;
        if (remaining < SegmentFormat.RECORD_PREFIX) {
            return "file ends inside a record prefix";
        }
        int length = file.getInt(position);
        if (length < SegmentFormat.BODY_FIXED) {
            return "impossible record length " + length;
        }
        if (length > remaining - SegmentFormat.RECORD_PREFIX) {
            return "record length " + length + " runs past the end of the file";
        }
        int crc = file.getInt(position + 4);
        if (SegmentFormat.crc(file, position + SegmentFormat.RECORD_PREFIX, length) != crc) {
            return "checksum mismatch";
        }
        return null;
    }

    private static int findValidRecord(ByteBuffer file, int from) {
        for (int position = from; position <= file.capacity() - SegmentFormat.RECORD_OVERHEAD; position++) {
            if (checkRecord(file, position) == null) {
                return position;
            }
        }
        return -1;
    }

    private static void cut(Segment segment, Path path, long position, boolean fsync) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(position);
            if (fsync) {
                channel.force(true);
            }
        } catch (IOException e) {
            segment.close();
            throw new UncheckedIOException("cannot truncate torn tail of " + path, e);
        }
        segment.truncateScannedSize(position);
    }

    private static void deleteTorn(Path path, boolean fsync) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete torn log segment " + path, e);
        }
        if (fsync) {
            DurableFile.forceDirectory(path.getParent());
        }
    }

    private static byte[] readAll(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log segment " + path, e);
        }
    }
}

package io.flotilla.raft.storage.file;

import io.flotilla.raft.log.EntryType;
import io.flotilla.raft.log.LogEntry;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Layout of a log segment file. All integers are big-endian.
 *
 * <pre>
 * header  (16 bytes): magic "FRLG" (int 0x46524C47) | format version (byte, 1) | 3 zero bytes | first index (long)
 * record  (25 + n bytes):
 *         length (int, bytes after the CRC = 17 + n) | crc32c (int, over the next length bytes)
 *         | index (long) | term (long) | entry type (byte) | data (n bytes)
 * </pre>
 *
 * Records follow each other with no padding; a segment's file name is its first index, zero-padded to 20
 * digits, with the suffix {@code .log}.
 */
final class SegmentFormat {

    static final int MAGIC = 0x46524C47;
    static final byte VERSION = 1;
    static final int HEADER_SIZE = 16;
    /** length + crc. */
    static final int RECORD_PREFIX = 8;
    /** index + term + type. */
    static final int BODY_FIXED = 17;
    static final int RECORD_OVERHEAD = RECORD_PREFIX + BODY_FIXED;
    static final String SUFFIX = ".log";

    private SegmentFormat() {
    }

    static String fileName(long firstIndex) {
        return String.format("%020d%s", firstIndex, SUFFIX);
    }

    /** The first index encoded in a segment file name, or -1 when the name is not a segment's. */
    static long parseFileName(String name) {
        if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static ByteBuffer header(long firstIndex) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(MAGIC).put(VERSION).put((byte) 0).put((byte) 0).put((byte) 0).putLong(firstIndex);
        return header.flip();
    }

    static int recordSize(LogEntry entry) {
        return RECORD_OVERHEAD + entry.data().length;
    }

    static void writeRecord(LogEntry entry, ByteBuffer out) {
        int start = out.position();
        out.putInt(BODY_FIXED + entry.data().length);
        out.putInt(0);
        int bodyStart = out.position();
        out.putLong(entry.index()).putLong(entry.term()).put((byte) entry.type().code()).put(entry.data());
        out.putInt(start + 4, crc(out, bodyStart, out.position() - bodyStart));
    }

    static int crc(ByteBuffer buffer, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(from, length));
        return (int) crc.getValue();
    }

    /** Decodes a body whose CRC was already checked. */
    static LogEntry decodeBody(ByteBuffer body) {
        long index = body.getLong();
        long term = body.getLong();
        EntryType type = EntryType.fromCode(body.get());
        byte[] data = new byte[body.remaining()];
        body.get(data);
        return new LogEntry(index, term, type, data);
    }
}

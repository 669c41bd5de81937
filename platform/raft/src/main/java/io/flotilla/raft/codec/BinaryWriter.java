package io.flotilla.raft.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Big-endian primitives, strings and byte arrays as an int length plus bytes, maps in iteration order.
 *
 * <p>Writes into a plain growable array rather than a {@code ByteArrayOutputStream}: that one takes a lock and checks
 * its capacity for every byte, which was the largest item of a coordinator snapshot's cost (the snapshot is taken on
 * the Raft loop, so every write waits for it).
 */
public final class BinaryWriter {

    private byte[] buffer;
    private int size;

    public BinaryWriter() {
        this(64);
    }

    /** A writer whose first buffer holds {@code expectedBytes} (it still grows past them). */
    public BinaryWriter(int expectedBytes) {
        buffer = new byte[Math.max(16, expectedBytes)];
    }

    public BinaryWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public BinaryWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    public BinaryWriter writeInt(int value) {
        ensure(4);
        buffer[size] = (byte) (value >>> 24);
        buffer[size + 1] = (byte) (value >>> 16);
        buffer[size + 2] = (byte) (value >>> 8);
        buffer[size + 3] = (byte) value;
        size += 4;
        return this;
    }

    public BinaryWriter writeLong(long value) {
        writeInt((int) (value >>> 32));
        return writeInt((int) value);
    }

    public BinaryWriter writeBytes(byte[] value) {
        writeInt(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    public BinaryWriter writeString(String value) {
        return writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Callers pass sorted maps so that equal state gives equal bytes. */
    public BinaryWriter writeStringMap(Map<String, String> map) {
        writeInt(map.size());
        map.forEach((key, value) -> writeString(key).writeString(value));
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            long wanted = Math.max((long) buffer.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("encoded form exceeds the largest array: " + wanted + " bytes");
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }
}

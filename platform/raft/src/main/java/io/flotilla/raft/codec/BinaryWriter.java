package io.flotilla.raft.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Big-endian primitives, strings and byte arrays as an int length plus bytes, maps in iteration order. */
public final class BinaryWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public BinaryWriter writeByte(int value) {
        out.write(value);
        return this;
    }

    public BinaryWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    public BinaryWriter writeInt(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    public BinaryWriter writeLong(long value) {
        writeInt((int) (value >>> 32));
        return writeInt((int) value);
    }

    public BinaryWriter writeBytes(byte[] value) {
        writeInt(value.length);
        out.writeBytes(value);
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
        return out.toByteArray();
    }
}

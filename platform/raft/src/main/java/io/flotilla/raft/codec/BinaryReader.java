package io.flotilla.raft.codec;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Reads what {@link BinaryWriter} wrote; any truncation or impossible length is a {@link MalformedMessageException}. */
public final class BinaryReader {

    private final byte[] data;
    private int position;

    public BinaryReader(byte[] data) {
        this.data = data;
    }

    public int readByte() {
        require(1);
        return data[position++] & 0xFF;
    }

    public boolean readBoolean() {
        int value = readByte();
        if (value > 1) {
            throw new MalformedMessageException("boolean byte " + value);
        }
        return value == 1;
    }

    public int readInt() {
        require(4);
        int value = ((data[position] & 0xFF) << 24) | ((data[position + 1] & 0xFF) << 16)
                | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    public long readLong() {
        return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
    }

    public byte[] readBytes() {
        int length = readCount();
        require(length);
        byte[] value = new byte[length];
        System.arraycopy(data, position, value, 0, length);
        position += length;
        return value;
    }

    public String readString() {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    public Map<String, String> readStringMap() {
        int size = readCount();
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            map.put(readString(), readString());
        }
        return map;
    }

    /** A count of following items: never negative and never more than the bytes left could hold. */
    public int readCount() {
        int count = readInt();
        if (count < 0 || count > data.length - position) {
            throw new MalformedMessageException("count " + count + " at offset " + (position - 4));
        }
        return count;
    }

    /** Whether bytes are left: lets a decoder read a field appended in a later release when it is there. */
    public boolean hasRemaining() {
        return position < data.length;
    }

    /** Fails when bytes are left over: a message is exactly one record. */
    public void expectEnd() {
        if (position != data.length) {
            throw new MalformedMessageException((data.length - position) + " trailing bytes");
        }
    }

    private void require(int bytes) {
        if (bytes > data.length - position) {
            throw new MalformedMessageException("truncated at offset " + position);
        }
    }
}

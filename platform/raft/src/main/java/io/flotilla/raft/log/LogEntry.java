package io.flotilla.raft.log;

import java.util.Objects;

/**
 * One Raft log entry. {@code data} is owned by the entry once constructed: callers must not mutate the
 * array they passed in.
 */
public record LogEntry(long index, long term, EntryType type, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public LogEntry {
        if (index < 1) {
            throw new IllegalArgumentException("log index starts at 1, got " + index);
        }
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
        Objects.requireNonNull(type, "type");
        data = data == null ? EMPTY : data;
    }

    /** Bytes this entry takes in a batch, used to bound AppendEntries sizes. */
    public int sizeInBytes() {
        return data.length + 24;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogEntry that
                && index == that.index
                && term == that.term
                && type == that.type
                && java.util.Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term, type, java.util.Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "LogEntry[index=" + index + ", term=" + term + ", type=" + type + ", bytes=" + data.length + "]";
    }
}

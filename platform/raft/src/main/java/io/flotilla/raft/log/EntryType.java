package io.flotilla.raft.log;

/** What a log entry carries; stored as one byte on disk and on the wire. */
public enum EntryType {
    /** Appended by every new leader so entries of earlier terms can commit with one of its own term. */
    NOOP,
    /** An opaque command for the state machine. */
    COMMAND,
    /** A {@link io.flotilla.raft.ClusterConfig} (single-server membership change). */
    CONFIGURATION;

    private static final EntryType[] VALUES = values();

    public static EntryType fromCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("unknown entry type code " + code);
        }
        return VALUES[code];
    }

    public int code() {
        return ordinal();
    }
}

package io.flotilla.raft.client;

import java.util.Arrays;

/**
 * What a client may conclude about a write that failed: the {@value RaftProblemType#OUTCOME_PROPERTY} field of
 * every problem a Raft-backed service answers a write with. A non-idempotent write is repeated only when it is
 * {@link #NOT_APPLIED}; after {@link #UNKNOWN} the client must read before it writes again.
 */
public enum WriteOutcome {

    /** The write provably never reached the log (refused before submission): repeating it is safe. */
    NOT_APPLIED("not-applied"),

    /** The write may or may not have been committed (accepted, then the answer was lost). */
    UNKNOWN("unknown");

    private final String wireName;

    WriteOutcome(String wireName) {
        this.wireName = wireName;
    }

    /** The value as it appears on the wire: {@code not-applied} or {@code unknown}. */
    public String wireName() {
        return wireName;
    }

    /** Parses a wire value strictly: anything but the two names is an error that says what was found. */
    public static WriteOutcome fromWireName(String value) {
        return Arrays.stream(values()).filter(outcome -> outcome.wireName.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("outcome must be 'not-applied' or 'unknown', got '"
                        + value + "'"));
    }
}

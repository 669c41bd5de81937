package io.flotilla.raft.client;

/**
 * Whether a request may be sent to another node after an attempt whose effect is not known. Each call site says
 * which: the transport cannot tell from the method (a {@code POST} may be idempotent, a conditional {@code PUT}
 * may not).
 */
public enum Repeat {

    /**
     * Running it twice leaves the same state as running it once (reads, blind puts, deletes, a commit decision):
     * it is repeated on the next node after any failure.
     */
    IDEMPOTENT,

    /**
     * Running it twice would do something twice (a branch registration, a sequential key, a conditional write):
     * it is repeated only when the failed attempt provably was not applied, that is, the connection was refused
     * before anything was sent, or the node answered a Raft problem whose {@code outcome} is {@code not-applied}.
     */
    ONLY_IF_NOT_APPLIED
}

package io.flotilla.raft;

/**
 * The replicated service. Called on the node's event loop only, so implementations need no locking,
 * but must not block.
 *
 * <p>{@link #apply} must be deterministic: the same commands in the same order give the same state and
 * results on every node (no wall clock, no randomness, no I/O whose result can differ). The state is
 * rebuilt on restart from the latest {@link #snapshot} and the log after it, so it is kept in memory and
 * starts empty.
 */
public interface StateMachine {

    /** Applies a committed command and returns its result for the client. */
    byte[] apply(long index, byte[] command);

    /** Answers a read-only query against the current state. */
    byte[] query(byte[] query);

    /** Serialises the whole state; called after the command at the last applied index. */
    byte[] snapshot();

    /** Replaces the whole state with a snapshot produced by {@link #snapshot}. */
    void restore(byte[] snapshot);
}

package io.flotilla.raft.runtime;

/**
 * The single thread a node runs on, and its clock. All node state is touched from this loop only, which
 * is what lets the simulator replay a run exactly: it supplies a virtual loop and clock.
 */
public interface EventLoop {

    /** Monotonic milliseconds; only differences are meaningful. */
    long nowMillis();

    /** Runs {@code task} on the loop, after tasks already queued. */
    void execute(Runnable task);

    /** Runs {@code task} on the loop after {@code delayMillis}. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Whether the caller is running on this loop. */
    boolean inLoop();
}

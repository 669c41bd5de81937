package io.flotilla.id.core;

/**
 * Right to issue ids as one {@link WorkerId}. A leased provider (a registry key kept alive by heartbeats) reports
 * {@link #isHeld()} {@code false} as soon as the lease may have expired, before another node can take the slot;
 * from then on the generator refuses with {@link WorkerLeaseLostException}.
 */
public interface WorkerLease extends AutoCloseable {

    /** @return the worker slot this lease grants */
    WorkerId workerId();

    /**
     * Read on every issue, so implementations keep it to a volatile read.
     *
     * @return whether ids may still be issued under this lease
     */
    boolean isHeld();

    /** Gives the slot back (deletes the registry key); a static lease has nothing to release. */
    @Override
    default void close() {
    }
}

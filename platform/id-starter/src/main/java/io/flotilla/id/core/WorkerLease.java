package io.flotilla.id.core;

/**
 * Right to issue ids as one {@link WorkerId}. A leased provider (a registry key kept alive by heartbeats) reports
 * {@link #isHeld()} {@code false} as soon as the lease may have expired, before another node can take the slot;
 * from then on the generator refuses with {@link WorkerLeaseLostException} until it has leased a slot again.
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

    /**
     * Registers a listener to call once when the lease is found lost, so that the generator starts leasing a new
     * slot without waiting for the next caller to see {@link #isHeld()} turn {@code false}. A listener added after
     * the loss is called at once. Leases that cannot be lost (static ones) ignore it.
     *
     * @param listener called once, on any thread, never while a caller of this method holds a lock of the lease
     */
    default void onLost(Runnable listener) {
    }

    /** Gives the slot back (deletes the registry key); a static lease has nothing to release. */
    @Override
    default void close() {
    }
}

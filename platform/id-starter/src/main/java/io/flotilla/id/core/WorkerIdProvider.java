package io.flotilla.id.core;

/**
 * Where a generator gets its worker slot. Today: {@link StaticWorkerIdProvider} from configuration. Next: a
 * registry-leased provider that takes the first free key under {@code /flotilla/id/workers/} by compare-and-set
 * with a lease, keeps the lease alive, and lets its {@link WorkerLease} report the loss.
 */
@FunctionalInterface
public interface WorkerIdProvider {

    /**
     * Obtains a worker slot that fits the layout; called once when the generator starts.
     *
     * @param layout bit layout, which bounds the datacenter and worker ids
     * @return the lease on the slot
     */
    WorkerLease acquire(IdLayout layout);
}

package io.flotilla.id.core;

/**
 * Where a generator gets its worker slot: {@link StaticWorkerIdProvider} from configuration, or the registry
 * starter's provider, which takes the first free key under {@code flotilla/id/workers/<datacenter>/} by
 * compare-and-set with a lease, keeps the lease alive, and lets its {@link WorkerLease} report the loss.
 */
@FunctionalInterface
public interface WorkerIdProvider {

    /**
     * Obtains a worker slot that fits the layout; called when the generator starts, and again from a background
     * thread each time a lease is lost, until a slot is granted. It must not grant a slot another lease may still
     * hold.
     *
     * @param layout bit layout, which bounds the datacenter and worker ids
     * @return the lease on the slot
     */
    WorkerLease acquire(IdLayout layout);
}

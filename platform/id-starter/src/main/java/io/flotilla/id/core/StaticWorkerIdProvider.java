package io.flotilla.id.core;

/**
 * Worker slot fixed by configuration; its lease is held for the life of the process. Uniqueness across nodes is
 * the operator's job: two nodes configured with the same ids issue duplicates.
 */
public final class StaticWorkerIdProvider implements WorkerIdProvider {

    private final WorkerId workerId;

    /**
     * @param datacenterId configured datacenter id
     * @param workerId configured worker id
     */
    public StaticWorkerIdProvider(int datacenterId, int workerId) {
        this.workerId = new WorkerId(datacenterId, workerId);
    }

    @Override
    public WorkerLease acquire(IdLayout layout) {
        workerId.requireFits(layout);
        return new WorkerLease() {
            @Override
            public WorkerId workerId() {
                return workerId;
            }

            @Override
            public boolean isHeld() {
                return true;
            }
        };
    }
}

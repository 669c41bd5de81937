package io.flotilla.id.core;

/**
 * Identity of one issuing worker: the node part of every id it issues.
 *
 * @param datacenterId datacenter id
 * @param workerId worker id within the datacenter
 */
public record WorkerId(int datacenterId, int workerId) {

    /**
     * Checks that both ids fit the layout.
     *
     * @param layout the layout
     * @throws IllegalArgumentException when an id is negative or wider than its field
     */
    public void requireFits(IdLayout layout) {
        if (datacenterId < 0 || datacenterId > layout.maxDatacenterId()) {
            throw new IllegalArgumentException("Datacenter id " + datacenterId + " does not fit the "
                    + layout.datacenterIdBits() + "-bit datacenter id field (allowed 0.." + layout.maxDatacenterId()
                    + ")");
        }
        if (workerId < 0 || workerId > layout.maxWorkerId()) {
            throw new IllegalArgumentException("Worker id " + workerId + " does not fit the " + layout.workerIdBits()
                    + "-bit worker id field (allowed 0.." + layout.maxWorkerId() + ")");
        }
    }

    @Override
    public String toString() {
        return datacenterId + "-" + workerId;
    }
}

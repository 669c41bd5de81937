package io.flotilla.id.core;

/** The worker id lease was lost; another node may hold the slot now, so this generator stops issuing. */
public class WorkerLeaseLostException extends IdGenerationException {

    /**
     * @param workerId the slot whose lease was lost
     */
    public WorkerLeaseLostException(WorkerId workerId) {
        super("Lease on worker slot " + workerId + " was lost; this generator stops issuing ids");
    }
}

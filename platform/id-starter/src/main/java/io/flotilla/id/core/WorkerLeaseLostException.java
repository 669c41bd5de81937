package io.flotilla.id.core;

import java.time.Duration;

/**
 * The generator holds no worker lease right now: its lease was lost (another node may hold the slot now, so it
 * stopped issuing at once) and it is leasing a slot again in the background, or it was closed. Nothing was issued by
 * the failed call.
 */
public class WorkerLeaseLostException extends IdGenerationException {

    private final transient Duration retryAfter;

    /**
     * @param workerId the slot whose lease was lost
     */
    public WorkerLeaseLostException(WorkerId workerId) {
        super("Lease on worker slot " + workerId + " was lost; this generator stops issuing ids");
        this.retryAfter = null;
    }

    /**
     * @param workerId the slot whose lease was lost
     * @param retryAfter time until the generator's next attempt to lease a slot
     */
    public WorkerLeaseLostException(WorkerId workerId, Duration retryAfter) {
        super("Lease on worker slot " + workerId + " was lost; no ids are issued until a worker slot is leased "
                + "again (next attempt in " + retryAfter.toMillis() + " ms)");
        this.retryAfter = retryAfter;
    }

    /** @return time until the next attempt to lease a slot, or {@code null} when the generator will not try again */
    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}

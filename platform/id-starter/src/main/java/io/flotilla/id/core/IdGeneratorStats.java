package io.flotilla.id.core;

/**
 * Running totals of one generator, read by the metrics binder.
 *
 * @param issued ids issued
 * @param clockRollbacks occasions the clock was seen behind the last issued timestamp
 * @param refusals calls refused because the clock was behind by more than the generator waits out
 * @param sequenceExhaustedWaits waits for the next millisecond because the sequence of the current one ran out
 * @param clockBehindWaits waits for a clock that was behind the last issued timestamp to catch up
 * @param leaseLosses worker leases lost
 * @param leasesRegained worker slots leased again after a loss
 * @param failedLeaseAttempts attempts to lease a slot again that failed (each is retried after a back-off)
 * @param leaseHeld whether a worker slot is held now, so ids can be issued
 */
public record IdGeneratorStats(long issued, long clockRollbacks, long refusals, long sequenceExhaustedWaits,
        long clockBehindWaits, long leaseLosses, long leasesRegained, long failedLeaseAttempts, boolean leaseHeld) {

    /**
     * Totals of a generator whose worker slot cannot be lost (no lease counters).
     *
     * @param issued ids issued
     * @param clockRollbacks occasions the clock was seen behind the last issued timestamp
     * @param refusals calls refused because the clock was behind by more than the generator waits out
     * @param sequenceExhaustedWaits waits for the next millisecond because the sequence of the current one ran out
     * @param clockBehindWaits waits for a clock that was behind the last issued timestamp to catch up
     */
    public IdGeneratorStats(long issued, long clockRollbacks, long refusals, long sequenceExhaustedWaits,
            long clockBehindWaits) {
        this(issued, clockRollbacks, refusals, sequenceExhaustedWaits, clockBehindWaits, 0, 0, 0, true);
    }
}

package io.flotilla.id.core;

/**
 * Running totals of one generator, read by the metrics binder.
 *
 * @param issued ids issued
 * @param clockRollbacks occasions the clock was seen behind the last issued timestamp
 * @param refusals calls refused because the clock was behind by more than the generator waits out
 * @param sequenceExhaustedWaits waits for the next millisecond because the sequence of the current one ran out
 * @param clockBehindWaits waits for a clock that was behind the last issued timestamp to catch up
 */
public record IdGeneratorStats(long issued, long clockRollbacks, long refusals, long sequenceExhaustedWaits,
        long clockBehindWaits) {
}

package io.flotilla.id.core;

import java.util.concurrent.Executor;

/**
 * What every {@link SlotIssuer} of one generator shares: the layout, the clock, the high-water mark store and the
 * bounds the builder was given.
 *
 * @param layout bit layout
 * @param clock clock to read and wait on
 * @param store where each slot's timestamp high-water mark is kept
 * @param maxBackwardMillis largest clock step back that is waited out
 * @param reserveStepMillis how far ahead the mark is reserved, at least 1
 * @param reservationExecutor runs the background extension of the mark
 */
record IssueSettings(IdLayout layout, MillisClock clock, TimestampStore store, long maxBackwardMillis,
        long reserveStepMillis, Executor reservationExecutor) {
}

package io.flotilla.id.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one generator, shared by the issuers of every slot it held, so that its metrics go on counting
 * across re-leases.
 */
final class IssueCounters {

    final LongAdder clockRollbacks = new LongAdder();

    final LongAdder refusals = new LongAdder();

    final LongAdder sequenceExhaustedWaits = new LongAdder();

    final LongAdder clockBehindWaits = new LongAdder();

    /** Ids issued under slots given up since (a retired issuer hands its total over). */
    final LongAdder issuedByRetiredSlots = new LongAdder();

    final LongAdder leaseLosses = new LongAdder();

    final LongAdder leasesRegained = new LongAdder();

    final LongAdder failedLeaseAttempts = new LongAdder();
}

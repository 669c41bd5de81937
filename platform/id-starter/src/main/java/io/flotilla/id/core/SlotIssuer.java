package io.flotilla.id.core;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Issues the ids of one leased worker slot; a generator that re-leases gets a new issuer per slot.
 * <p>
 * All mutable state is one {@link AtomicLong} packing the last issued {@code (timestamp, sequence)} pair as
 * {@code timestamp << sequenceBits | sequence}. Because the timestamp sits above the sequence, the packed value
 * grows exactly as the ids do, and every issue is one compare-and-set from the last state to a larger one; no id
 * can be issued twice.
 * <p>
 * Clock rollback: the state is read before the clock, so a clock reading behind the state's timestamp means the
 * clock really went back (another thread's later reading cannot masquerade as one). The sequence is never reset
 * on such a reading (the original Twitter code did, and duplicated ids): issuing continues from the last state in
 * the last issued millisecond, and once that millisecond's sequence is used up the issuer waits for the clock to
 * pass it. A step back larger than {@code maxBackwardStep} is refused with {@link ClockMovedBackwardsException}.
 * <p>
 * Restart safety: the timestamp is reserved ahead in a {@link TimestampStore} in steps of {@code reserveStep},
 * extended in the background half a step before issuing reaches the mark (a caller waits for the write only if
 * issuing gets there first). A new issuer of the slot, in this run or a later one, starts from the stored mark, so
 * it never issues in a millisecond an earlier issuer may have used.
 * <p>
 * Retirement: once the slot's lease is lost, {@link #retire()} swaps the state for {@link #RETIRED}. Every issue is
 * a compare-and-set from a state it read, so no call that was already under way can issue after that, and the
 * reservation (which takes the same monitor) is never written again: the slot's next holder, here or elsewhere,
 * finds a mark that no late write of this issuer can lower.
 */
final class SlotIssuer {

    private static final System.Logger LOG = System.getLogger(SlotIssuer.class.getName());

    /** State of a retired issuer; never a real state, whose timestamp and sequence are non-negative. */
    private static final long RETIRED = -1L;

    private final WorkerLease lease;

    private final WorkerId workerId;

    private final IdLayout layout;

    private final MillisClock clock;

    private final TimestampStore store;

    private final IssueCounters counters;

    private final Function<WorkerId, WorkerLeaseLostException> leaseLost;

    private final long epochMillis;

    private final int sequenceBits;

    private final long sequenceMask;

    private final int timestampShift;

    private final long maxTimestamp;

    private final long nodeBits;

    private final long maxBackwardMillis;

    private final long reserveStepMillis;

    private final Executor reservationExecutor;

    private final AtomicLong state;

    private final AtomicBoolean extendingReservation = new AtomicBoolean();

    /** Highest timestamp (relative to the epoch) already durably reserved in the store. */
    private volatile long reservedThrough;

    /**
     * Timestamp past which the reservation is extended in the background, half a step before issuing would reach
     * {@link #reservedThrough} and have to wait for the write.
     */
    private volatile long extendFrom;

    private volatile long lastReportedRollbackAt = -1;

    /** State before the first issue; its millisecond counts as used but none of its ids were issued. */
    private final long startState;

    /**
     * Ids issued in milliseconds the state has moved past. Added once per millisecond by the CAS that leaves it
     * (the sequence of the state it leaves tells how many were issued), so issuing an id costs no counter update.
     */
    private final LongAdder issuedInPastMillis = new LongAdder();

    /**
     * Checks the slot against the layout and restores its persisted mark, waiting for the clock to pass a mark
     * reserved within the last reserve step.
     *
     * @param issuedThrough last timestamp (relative to the epoch) the generator issued under an earlier slot, or -1:
     *        issuing starts after it, so that ids keep increasing across a re-lease
     */
    SlotIssuer(WorkerLease lease, long issuedThrough, IssueSettings settings, IssueCounters counters,
            Function<WorkerId, WorkerLeaseLostException> leaseLost) {
        this.lease = lease;
        this.workerId = lease.workerId();
        this.layout = settings.layout();
        this.clock = settings.clock();
        this.store = settings.store();
        this.counters = counters;
        this.leaseLost = leaseLost;
        this.maxBackwardMillis = settings.maxBackwardMillis();
        this.reserveStepMillis = settings.reserveStepMillis();
        this.reservationExecutor = settings.reservationExecutor();
        this.epochMillis = layout.epochMillis();
        this.sequenceBits = layout.sequenceBits();
        this.sequenceMask = layout.maxSequence();
        this.timestampShift = layout.timestampShift();
        this.maxTimestamp = layout.maxTimestamp();
        long now = currentTimestamp();
        workerId.requireFits(layout);
        long startTimestamp = startTimestamp(now);
        if (issuedThrough > startTimestamp) {
            // The earlier slot issued up to the clock (or a step it waited out): start after its last millisecond.
            if (issuedThrough >= currentTimestamp()) {
                awaitAfter(issuedThrough, counters.clockBehindWaits);
            }
            startTimestamp = issuedThrough;
        }
        this.nodeBits = ((long) workerId.datacenterId() << layout.datacenterIdShift())
                | ((long) workerId.workerId() << layout.workerIdShift());
        this.startState = (startTimestamp << sequenceBits) | sequenceMask;
        this.state = new AtomicLong(startState);
        this.reservedThrough = startTimestamp;
        this.extendFrom = startTimestamp;
    }

    /**
     * Timestamp from which issuing starts, every millisecond up to and including it counted as used: the stored
     * mark of an earlier issuer of the slot, or one millisecond before now.
     */
    private long startTimestamp(long now) {
        OptionalLong stored = store.load(workerId);
        if (stored.isEmpty() || stored.getAsLong() - epochMillis < now) {
            return Math.max(0, now - 1);
        }
        long mark = Math.min(stored.getAsLong() - epochMillis, maxTimestamp);
        long behind = mark - now;
        if (behind <= reserveStepMillis + maxBackwardMillis) {
            // A restart (or re-lease) within one reserve step of the slot's last issue: wait for the mark to pass.
            LOG.log(System.Logger.Level.INFO, "Worker {0}: waiting {1} ms for the clock to pass the timestamp "
                    + "reserved by the slot''s previous issuer", workerId, behind);
            awaitAfter(mark, counters.clockBehindWaits);
        }
        else {
            LOG.log(System.Logger.Level.WARNING, "Worker {0}: clock is {1} ms behind the timestamp reserved by the "
                    + "slot''s previous issuer; ids are refused until it catches up", workerId, behind);
        }
        return mark;
    }

    WorkerLease lease() {
        return lease;
    }

    WorkerId workerId() {
        return workerId;
    }

    long next() {
        long first = claim(1);
        return toId(first >>> sequenceBits, first & sequenceMask);
    }

    long[] next(int count) {
        long[] ids = new long[count];
        int filled = 0;
        while (filled < count) {
            int wanted = count - filled;
            long first = claim(wanted);
            long firstId = toId(first >>> sequenceBits, first & sequenceMask);
            for (int i = 0, taken = taken(first, wanted); i < taken; i++) {
                ids[filled++] = firstId + i;
            }
        }
        return ids;
    }

    /**
     * Claims up to {@code wanted} consecutive ids of one millisecond with one compare-and-set: the next ones of the
     * last issued millisecond, or the first ones of the clock's current millisecond once it has moved on. Waits when
     * the millisecond is used up (or the clock stepped back within the tolerated step) until the clock passes it.
     *
     * @return the state of the first claimed id; {@link #taken(long, int)} tells how many were claimed
     */
    private long claim(int wanted) {
        for (;;) {
            long current = state.get();
            if (current == RETIRED) {
                throw leaseLost.apply(workerId);
            }
            long lastTimestamp = current >>> sequenceBits;
            long now = currentTimestamp();
            long firstState;
            if (now > lastTimestamp) {
                firstState = now << sequenceBits;
            }
            else {
                if (now < lastTimestamp) {
                    onClockBehind(lastTimestamp, now);
                }
                if ((current & sequenceMask) == sequenceMask) {
                    awaitAfter(lastTimestamp, (now < lastTimestamp) ? counters.clockBehindWaits
                            : counters.sequenceExhaustedWaits);
                    continue;
                }
                firstState = current + 1;
            }
            long timestamp = firstState >>> sequenceBits;
            if (timestamp > extendFrom) {
                reserve(timestamp);
            }
            if (state.compareAndSet(current, firstState + taken(firstState, wanted) - 1)) {
                if (timestamp != lastTimestamp) {
                    countLeftMillisecond(current);
                }
                return firstState;
            }
        }
    }

    /** How many of {@code wanted} ids a claim starting at {@code firstState} gets: the rest of its millisecond at most. */
    private int taken(long firstState, int wanted) {
        return (int) Math.min(sequenceMask - (firstState & sequenceMask) + 1, wanted);
    }

    /** @return the last issued timestamp relative to the epoch (0 once retired) */
    long lastTimestamp() {
        long current = state.get();
        return (current == RETIRED) ? 0 : current >>> sequenceBits;
    }

    /**
     * Ids issued so far: the past milliseconds' totals plus the current millisecond's sequence, read consistently.
     * A retired issuer reports 0, its total having moved to the counters' retired total.
     */
    long issued() {
        for (;;) {
            long past = issuedInPastMillis.sum();
            long current = state.get();
            if (current == RETIRED) {
                return 0;
            }
            if (issuedInPastMillis.sum() == past) {
                return past + ((current == startState) ? 0 : (current & sequenceMask) + 1);
            }
        }
    }

    /**
     * Stops issuing for good: calls under way fail their compare-and-set and refuse, and the mark is never written
     * again. Its issued ids move to the counters' retired total, so the generator's count never goes back.
     *
     * @return the last timestamp (relative to the epoch) counted as used, or -1 when it was already retired
     */
    synchronized long retire() {
        long last = state.getAndSet(RETIRED);
        if (last == RETIRED) {
            return -1;
        }
        counters.issuedByRetiredSlots.add(issuedInPastMillis.sum() + ((last == startState) ? 0
                : (last & sequenceMask) + 1));
        return last >>> sequenceBits;
    }

    private void countLeftMillisecond(long leftState) {
        if (leftState != startState) {
            issuedInPastMillis.add((leftState & sequenceMask) + 1);
        }
    }

    private long toId(long timestamp, long sequence) {
        return (timestamp << timestampShift) | nodeBits | sequence;
    }

    /** Current time relative to the epoch; refuses when it does not fit the timestamp field. */
    private long currentTimestamp() {
        long millis = clock.millis();
        long timestamp = millis - epochMillis;
        if (timestamp < 0 || timestamp > maxTimestamp) {
            throw new TimestampOverflowException(Instant.ofEpochMilli(millis), layout);
        }
        return timestamp;
    }

    private void onClockBehind(long lastTimestamp, long now) {
        if (lastReportedRollbackAt != lastTimestamp) {
            lastReportedRollbackAt = lastTimestamp;
            counters.clockRollbacks.increment();
        }
        long behind = lastTimestamp - now;
        if (behind > maxBackwardMillis) {
            counters.refusals.increment();
            throw new ClockMovedBackwardsException(behind, maxBackwardMillis);
        }
    }

    private void awaitAfter(long timestamp, LongAdder waits) {
        waits.increment();
        long now;
        while ((now = currentTimestamp()) <= timestamp) {
            clock.pause(timestamp - now + 1);
        }
    }

    /**
     * Issuing past the reserved mark waits for the write (a restart must never reuse the timestamp); issuing in the
     * last half step before it extends the mark in the background, so that in steady state no caller waits.
     */
    private void reserve(long timestamp) {
        if (timestamp > reservedThrough) {
            reserveThrough(timestamp);
        }
        else if (extendingReservation.compareAndSet(false, true)) {
            try {
                reservationExecutor.execute(() -> extendInBackground(timestamp));
            }
            catch (RuntimeException ex) {
                extendingReservation.set(false);
            }
        }
    }

    private void extendInBackground(long timestamp) {
        try {
            reserveThrough(timestamp);
        }
        catch (IdGenerationException ex) {
            // The next issue past the mark retries in the caller's thread and reports the failure there.
            LOG.log(System.Logger.Level.WARNING, ex.getMessage(), ex.getCause());
        }
        finally {
            extendingReservation.set(false);
        }
    }

    private synchronized void reserveThrough(long timestamp) {
        if (state.get() == RETIRED) {
            throw leaseLost.apply(workerId);
        }
        long mark = Math.min(timestamp + reserveStepMillis, maxTimestamp);
        if (timestamp <= extendFrom || mark <= reservedThrough) {
            return;
        }
        try {
            store.store(workerId, epochMillis + mark);
        }
        catch (UncheckedIOException ex) {
            throw new IdGenerationException("Cannot persist the timestamp high-water mark of worker " + workerId
                    + "; refusing to issue ids that a restart could repeat", ex);
        }
        reservedThrough = mark;
        extendFrom = (mark == maxTimestamp) ? maxTimestamp : mark - reserveStepMillis / 2;
    }
}

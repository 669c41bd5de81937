package io.flotilla.id.core;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lock-free snowflake generator.
 * <p>
 * All mutable state is one {@link AtomicLong} packing the last issued {@code (timestamp, sequence)} pair as
 * {@code timestamp << sequenceBits | sequence}. Because the timestamp sits above the sequence, the packed value
 * grows exactly as the ids do, and every issue is one compare-and-set from the last state to a larger one; no id
 * can be issued twice.
 * <p>
 * Clock rollback: the state is read before the clock, so a clock reading behind the state's timestamp means the
 * clock really went back (another thread's later reading cannot masquerade as one). The sequence is never reset
 * on such a reading (the original Twitter code did, and duplicated ids): issuing continues from the last state in
 * the last issued millisecond, and once that millisecond's sequence is used up the generator waits for the clock
 * to pass it. A step back larger than {@code maxBackwardStep} is refused with {@link ClockMovedBackwardsException}.
 * <p>
 * Restart safety: the timestamp is reserved ahead in a {@link TimestampStore} in steps of {@code reserveStep},
 * extended in the background half a step before issuing reaches the mark (a caller waits for the write only if
 * issuing gets there first). A new generator starts from the stored mark, so it never issues in a millisecond an
 * earlier run may have used.
 */
public final class SnowflakeIdGenerator implements IdGenerator, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SnowflakeIdGenerator.class.getName());

    private final IdLayout layout;

    private final MillisClock clock;

    private final WorkerLease lease;

    private final WorkerId workerId;

    private final TimestampStore store;

    private final long epochMillis;

    private final int sequenceBits;

    private final long sequenceMask;

    private final int timestampShift;

    private final long maxTimestamp;

    private final long nodeBits;

    private final long maxBackwardMillis;

    private final long reserveStepMillis;

    private final AtomicLong state;

    private final Executor reservationExecutor;

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

    /** Largest issued count reported, so that a read racing a millisecond change never makes the counter go back. */
    private final AtomicLong issuedReported = new AtomicLong();

    private final LongAdder clockRollbacks = new LongAdder();

    private final LongAdder refusals = new LongAdder();

    private final LongAdder sequenceExhaustedWaits = new LongAdder();

    private final LongAdder clockBehindWaits = new LongAdder();

    private SnowflakeIdGenerator(Builder builder) {
        this.layout = builder.layout;
        this.clock = builder.clock;
        this.store = builder.store;
        this.maxBackwardMillis = requireNonNegative("maxBackwardStep", builder.maxBackwardStep).toMillis();
        this.reserveStepMillis = Math.max(1, requireNonNegative("reserveStep", builder.reserveStep).toMillis());
        this.reservationExecutor = builder.reservationExecutor;
        this.epochMillis = layout.epochMillis();
        this.sequenceBits = layout.sequenceBits();
        this.sequenceMask = layout.maxSequence();
        this.timestampShift = layout.timestampShift();
        this.maxTimestamp = layout.maxTimestamp();

        long now = currentTimestamp();
        this.lease = builder.workerIdProvider.acquire(layout);
        this.workerId = lease.workerId();
        long startTimestamp;
        try {
            workerId.requireFits(layout);
            startTimestamp = startTimestamp(now);
        }
        catch (RuntimeException ex) {
            lease.close();
            throw ex;
        }
        this.nodeBits = ((long) workerId.datacenterId() << layout.datacenterIdShift())
                | ((long) workerId.workerId() << layout.workerIdShift());
        this.startState = (startTimestamp << sequenceBits) | sequenceMask;
        this.state = new AtomicLong(startState);
        this.reservedThrough = startTimestamp;
        this.extendFrom = startTimestamp;
        LOG.log(System.Logger.Level.INFO, "Issuing snowflake ids as worker {0}; this layout runs out on {1}",
                workerId, layout.exhaustedAt());
    }

    /**
     * Starts a builder.
     *
     * @param layout bit layout
     * @return the builder
     */
    public static Builder builder(IdLayout layout) {
        return new Builder(layout);
    }

    private static Duration requireNonNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }

    /**
     * Timestamp from which issuing starts, every millisecond up to and including it counted as used: the stored
     * mark of an earlier run, or one millisecond before now.
     */
    private long startTimestamp(long now) {
        OptionalLong stored = store.load(workerId);
        if (stored.isEmpty() || stored.getAsLong() - epochMillis < now) {
            return Math.max(0, now - 1);
        }
        long mark = Math.min(stored.getAsLong() - epochMillis, maxTimestamp);
        long behind = mark - now;
        if (behind <= reserveStepMillis + maxBackwardMillis) {
            // A restart within one reserve step of the last issue: the usual case, wait for the reservation to pass.
            LOG.log(System.Logger.Level.INFO, "Worker {0}: waiting {1} ms for the clock to pass the timestamp "
                    + "reserved by the previous run", workerId, behind);
            awaitAfter(mark, clockBehindWaits);
        }
        else {
            LOG.log(System.Logger.Level.WARNING, "Worker {0}: clock is {1} ms behind the timestamp reserved by the "
                    + "previous run; ids are refused until it catches up", workerId, behind);
        }
        return mark;
    }

    @Override
    public long next() {
        requireLease();
        for (;;) {
            long current = state.get();
            long lastTimestamp = current >>> sequenceBits;
            long now = currentTimestamp();
            long nextState;
            if (now > lastTimestamp) {
                nextState = now << sequenceBits;
            }
            else {
                if (now < lastTimestamp) {
                    onClockBehind(lastTimestamp, now);
                }
                if ((current & sequenceMask) == sequenceMask) {
                    awaitAfter(lastTimestamp, (now < lastTimestamp) ? clockBehindWaits : sequenceExhaustedWaits);
                    continue;
                }
                nextState = current + 1;
            }
            long timestamp = nextState >>> sequenceBits;
            if (timestamp > extendFrom) {
                reserve(timestamp);
            }
            if (state.compareAndSet(current, nextState)) {
                if (timestamp != lastTimestamp) {
                    countLeftMillisecond(current);
                }
                return toId(timestamp, nextState & sequenceMask);
            }
        }
    }

    @Override
    public long[] next(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        requireLease();
        long[] ids = new long[count];
        int filled = 0;
        while (filled < count) {
            long current = state.get();
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
                    awaitAfter(lastTimestamp, (now < lastTimestamp) ? clockBehindWaits : sequenceExhaustedWaits);
                    continue;
                }
                firstState = current + 1;
            }
            long available = sequenceMask - (firstState & sequenceMask) + 1;
            int taken = (int) Math.min(available, count - filled);
            long lastState = firstState + taken - 1;
            long timestamp = firstState >>> sequenceBits;
            if (timestamp > extendFrom) {
                reserve(timestamp);
            }
            if (state.compareAndSet(current, lastState)) {
                if (timestamp != lastTimestamp) {
                    countLeftMillisecond(current);
                }
                long first = toId(timestamp, firstState & sequenceMask);
                for (int i = 0; i < taken; i++) {
                    ids[filled++] = first + i;
                }
            }
        }
        return ids;
    }

    @Override
    public IdParts parse(long id) {
        IdParts parts = layout.decompose(id);
        long timestamp = parts.epochMillis() - epochMillis;
        long latest = Math.max(clock.millis() - epochMillis, state.get() >>> sequenceBits);
        if (timestamp > latest) {
            throw new InvalidIdException("Id " + id + " carries timestamp " + parts.timestamp()
                    + ", which is in the future; it was not issued with this layout (epoch "
                    + Instant.ofEpochMilli(epochMillis) + ")");
        }
        return parts;
    }

    @Override
    public IdLayout layout() {
        return layout;
    }

    @Override
    public IdGeneratorStats stats() {
        return new IdGeneratorStats(issued(), clockRollbacks.sum(), refusals.sum(), sequenceExhaustedWaits.sum(),
                clockBehindWaits.sum());
    }

    /** Ids issued so far: the past milliseconds' totals plus the current millisecond's sequence, read consistently. */
    private long issued() {
        for (;;) {
            long past = issuedInPastMillis.sum();
            long current = state.get();
            if (issuedInPastMillis.sum() == past) {
                long issued = past + ((current == startState) ? 0 : (current & sequenceMask) + 1);
                return issuedReported.accumulateAndGet(issued, Math::max);
            }
        }
    }

    private void countLeftMillisecond(long leftState) {
        if (leftState != startState) {
            issuedInPastMillis.add((leftState & sequenceMask) + 1);
        }
    }

    /** @return worker slot this generator issues as */
    public WorkerId workerId() {
        return workerId;
    }

    /** Releases the worker lease; later calls fail with {@link WorkerLeaseLostException}. */
    @Override
    public void close() {
        lease.close();
    }

    private long toId(long timestamp, long sequence) {
        return (timestamp << timestampShift) | nodeBits | sequence;
    }

    private void requireLease() {
        if (!lease.isHeld()) {
            throw new WorkerLeaseLostException(workerId);
        }
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
            clockRollbacks.increment();
        }
        long behind = lastTimestamp - now;
        if (behind > maxBackwardMillis) {
            refusals.increment();
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

    /** Builder of {@link SnowflakeIdGenerator}. */
    public static final class Builder {

        private final IdLayout layout;

        private WorkerIdProvider workerIdProvider = new StaticWorkerIdProvider(0, 0);

        private MillisClock clock = MillisClock.SYSTEM;

        private TimestampStore store;

        private Duration maxBackwardStep = Duration.ofMillis(5);

        private Duration reserveStep = Duration.ofSeconds(1);

        private Executor reservationExecutor = (task) -> Thread.ofVirtual().name("flotilla-id-reserve").start(task);

        private Builder(IdLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
        }

        /**
         * @param workerIdProvider source of the worker slot (default: datacenter 0, worker 0)
         * @return this builder
         */
        public Builder workerIdProvider(WorkerIdProvider workerIdProvider) {
            this.workerIdProvider = Objects.requireNonNull(workerIdProvider, "workerIdProvider");
            return this;
        }

        /**
         * @param clock clock to read (default: {@link MillisClock#SYSTEM})
         * @return this builder
         */
        public Builder clock(MillisClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param store where the timestamp high-water mark is kept (required)
         * @return this builder
         */
        public Builder timestampStore(TimestampStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param maxBackwardStep largest clock step back that is waited out rather than refused (default 5 ms)
         * @return this builder
         */
        public Builder maxBackwardStep(Duration maxBackwardStep) {
            this.maxBackwardStep = Objects.requireNonNull(maxBackwardStep, "maxBackwardStep");
            return this;
        }

        /**
         * @param reserveStep how far ahead the persisted timestamp mark is reserved (default 1 s)
         * @return this builder
         */
        public Builder reserveStep(Duration reserveStep) {
            this.reserveStep = Objects.requireNonNull(reserveStep, "reserveStep");
            return this;
        }

        /**
         * @param reservationExecutor runs the background extension of the persisted mark (default: a virtual
         *        thread per extension, about two per reserve step)
         * @return this builder
         */
        public Builder reservationExecutor(Executor reservationExecutor) {
            this.reservationExecutor = Objects.requireNonNull(reservationExecutor, "reservationExecutor");
            return this;
        }

        /**
         * Acquires the worker slot, checks the layout against the clock, and restores the persisted mark.
         *
         * @return the generator
         * @throws TimestampOverflowException when the current time does not fit the layout's timestamp field
         * @throws IllegalArgumentException when the worker slot does not fit the layout
         */
        public SnowflakeIdGenerator build() {
            Objects.requireNonNull(store, "timestampStore is required: restart safety depends on it");
            return new SnowflakeIdGenerator(this);
        }
    }
}

package io.flotilla.id.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lock-free snowflake generator over a leased worker slot.
 * <p>
 * The ids of a slot come from its {@link SlotIssuer}: one compare-and-set per id on a packed
 * {@code (timestamp, sequence)} state, waiting out small clock steps back and refusing large ones, with the
 * timestamp reserved ahead in a {@link TimestampStore} so that no later issuer of the slot reuses a millisecond.
 * <p>
 * The slot is held through a {@link WorkerLease}. When the lease is lost, the generator stops issuing at once
 * (another node may hold the slot from then on) and leases a slot again in the background, with back-off; until it
 * has one, calls fail with {@link WorkerLeaseLostException}. Ids issued after the switch carry the new worker id,
 * so they never equal an earlier one; within each slot they keep increasing across restarts and re-leases.
 */
public final class SnowflakeIdGenerator implements IdGenerator, AutoCloseable {

    private final IdLayout layout;

    private final MillisClock clock;

    private final long epochMillis;

    private final IssueCounters counters = new IssueCounters();

    private final WorkerSlotKeeper slots;

    /** Largest issued count reported, so that a read racing a millisecond change or a re-lease never goes back. */
    private final AtomicLong issuedReported = new AtomicLong();

    private SnowflakeIdGenerator(Builder builder) {
        this.layout = builder.layout;
        this.clock = builder.clock;
        this.epochMillis = layout.epochMillis();
        IssueSettings settings = new IssueSettings(layout, clock, builder.store,
                requireNonNegative("maxBackwardStep", builder.maxBackwardStep).toMillis(),
                Math.max(1, requireNonNegative("reserveStep", builder.reserveStep).toMillis()),
                builder.reservationExecutor);
        LeaseBackoff backoff = new LeaseBackoff(builder.leaseRetryInitial, builder.leaseRetryMax,
                new Random());
        this.slots = new WorkerSlotKeeper(builder.workerIdProvider, layout,
                (lease, issuedThrough) -> new SlotIssuer(lease, issuedThrough, settings, counters, this::refusal), backoff, builder.retryScheduler,
                clock, counters);
        // Fails fast, before any lease is taken, when the current time does not fit the layout.
        currentTimestamp();
        slots.start();
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

    private WorkerLeaseLostException refusal(WorkerId workerId) {
        return slots.refusal(workerId);
    }

    @Override
    public long next() {
        return slots.issuer().next();
    }

    @Override
    public long[] next(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        return slots.issuer().next(count);
    }

    @Override
    public IdParts parse(long id) {
        IdParts parts = layout.decompose(id);
        long timestamp = parts.epochMillis() - epochMillis;
        SlotIssuer issuer = slots.currentIssuer();
        long lastIssued = (issuer != null) ? issuer.lastTimestamp() : 0;
        long latest = Math.max(clock.millis() - epochMillis, lastIssued);
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
        return new IdGeneratorStats(issued(), counters.clockRollbacks.sum(), counters.refusals.sum(),
                counters.sequenceExhaustedWaits.sum(), counters.clockBehindWaits.sum(), counters.leaseLosses.sum(),
                counters.leasesRegained.sum(), counters.failedLeaseAttempts.sum(), slots.holdsSlot());
    }

    /**
     * Ids issued so far under every slot held. The retired slots' total is read before the current issuer: a slot
     * retired in between reports 0 itself, so it is never counted twice.
     */
    private long issued() {
        long retired = counters.issuedByRetiredSlots.sum();
        SlotIssuer issuer = slots.currentIssuer();
        long issued = retired + ((issuer != null) ? issuer.issued() : 0);
        return issuedReported.accumulateAndGet(issued, Math::max);
    }

    /** @return worker slot this generator issues as, or last issued as while it leases a new one */
    public WorkerId workerId() {
        return slots.workerId();
    }

    /** Releases the worker lease and stops leasing; later calls fail with {@link WorkerLeaseLostException}. */
    @Override
    public void close() {
        slots.close();
    }

    /** Current time relative to the epoch; refuses when it does not fit the timestamp field. */
    private long currentTimestamp() {
        long millis = clock.millis();
        long timestamp = millis - epochMillis;
        if (timestamp < 0 || timestamp > layout.maxTimestamp()) {
            throw new TimestampOverflowException(Instant.ofEpochMilli(millis), layout);
        }
        return timestamp;
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

        private Duration leaseRetryInitial = Duration.ofMillis(500);

        private Duration leaseRetryMax = Duration.ofSeconds(30);

        private RetryScheduler retryScheduler = RetryScheduler.VIRTUAL_THREADS;

        private Builder(IdLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
        }

        /**
         * @param workerIdProvider source of the worker slot, asked again whenever a lease is lost (default:
         *        datacenter 0, worker 0)
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
         * @param initial delay before the first attempt to lease a slot again after a loss (default 500 ms)
         * @param max longest delay between attempts while they fail; each failure doubles it up to this (default
         *        30 s)
         * @return this builder
         */
        public Builder leaseRetryBackoff(Duration initial, Duration max) {
            this.leaseRetryInitial = Objects.requireNonNull(initial, "initial");
            this.leaseRetryMax = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * @param retryScheduler runs the attempts to lease a slot again (default: a virtual thread per attempt)
         * @return this builder
         */
        public Builder retryScheduler(RetryScheduler retryScheduler) {
            this.retryScheduler = Objects.requireNonNull(retryScheduler, "retryScheduler");
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

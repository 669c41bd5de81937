package io.flotilla.id.core;

import java.time.Duration;
import java.util.function.BiFunction;

/**
 * Holds the {@link SlotIssuer} a generator issues through, and replaces it when its lease is lost.
 * <p>
 * On a loss the issuer is swapped out and retired at once (no id is issued under the slot from then on: another
 * node may hold it now), the lease is released in the background, and the provider is asked for a slot again,
 * with {@link LeaseBackoff back-off} for as long as it fails. The new slot is any slot the provider grants; a
 * registry-leased provider only grants a slot whose key is free, so the old slot comes back only once its lease is
 * gone on the registry too, and then its new issuer starts above the old one's persisted high-water mark.
 * Meanwhile callers get {@link WorkerLeaseLostException} carrying the time to the next attempt.
 */
final class WorkerSlotKeeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerSlotKeeper.class.getName());

    private final WorkerIdProvider provider;

    private final IdLayout layout;

    private final BiFunction<WorkerLease, Long, SlotIssuer> issuers;

    private final LeaseBackoff backoff;

    private final RetryScheduler scheduler;

    private final MillisClock clock;

    private final IssueCounters counters;

    /** Issuer of the slot held now, or {@code null} while none is. */
    private volatile SlotIssuer current;

    /** Slot held now, or last held; what {@link #workerId()} reports and refusals name. */
    private volatile WorkerId lastWorkerId;

    /** Wall-clock milliseconds of the next attempt to lease a slot, while none is held. */
    private volatile long nextAttemptAtMillis;

    private volatile boolean closed;

    /** Last timestamp (relative to the epoch) issued under a slot given up, or -1: new slots issue after it. */
    private volatile long issuedThrough = -1;

    /**
     * @param issuers opens the issuer of a newly granted lease, issuing after the given timestamp (it may throw;
     *        the lease is then released)
     */
    WorkerSlotKeeper(WorkerIdProvider provider, IdLayout layout, BiFunction<WorkerLease, Long, SlotIssuer> issuers,
            LeaseBackoff backoff, RetryScheduler scheduler, MillisClock clock, IssueCounters counters) {
        this.provider = provider;
        this.layout = layout;
        this.issuers = issuers;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.clock = clock;
        this.counters = counters;
    }

    /** Leases the first slot in the caller's thread: a generator that cannot get one does not start. */
    void start() {
        WorkerLease lease = provider.acquire(layout);
        install(open(lease));
        LOG.log(System.Logger.Level.INFO, "Issuing snowflake ids as worker {0}; this layout runs out on {1}",
                lease.workerId(), layout.exhaustedAt());
    }

    private SlotIssuer open(WorkerLease lease) {
        try {
            return issuers.apply(lease, issuedThrough);
        }
        catch (RuntimeException ex) {
            lease.close();
            throw ex;
        }
    }

    /** @return whether the issuer was installed (false once closed: it is then retired and released) */
    private boolean install(SlotIssuer issuer) {
        boolean installed;
        synchronized (this) {
            installed = !closed;
            if (installed) {
                current = issuer;
                lastWorkerId = issuer.workerId();
            }
        }
        if (!installed) {
            issuer.retire();
            issuer.lease().close();
            return false;
        }
        issuer.lease().onLost(() -> lost(issuer));
        return true;
    }

    /**
     * @return the issuer to issue through
     * @throws WorkerLeaseLostException while no slot is held, or when the current lease has just been found lost
     */
    SlotIssuer issuer() {
        SlotIssuer issuer = current;
        if (issuer == null) {
            throw refusal(lastWorkerId);
        }
        if (!issuer.lease().isHeld()) {
            lost(issuer);
            throw refusal(issuer.workerId());
        }
        return issuer;
    }

    /** @return the refusal for callers while no slot is held */
    WorkerLeaseLostException refusal(WorkerId workerId) {
        if (closed) {
            return new WorkerLeaseLostException(workerId);
        }
        return new WorkerLeaseLostException(workerId,
                Duration.ofMillis(Math.max(0, nextAttemptAtMillis - clock.millis())));
    }

    /** @return the issuer of the slot held now, or {@code null} */
    SlotIssuer currentIssuer() {
        return current;
    }

    /** @return the slot held now, or the last one held */
    WorkerId workerId() {
        return lastWorkerId;
    }

    /** @return whether a slot is held now */
    boolean holdsSlot() {
        SlotIssuer issuer = current;
        return issuer != null && issuer.lease().isHeld();
    }

    /** Swaps out and retires the issuer of a lost lease (once, whoever notices first), then leases again. */
    private void lost(SlotIssuer issuer) {
        synchronized (this) {
            if (current != issuer) {
                return;
            }
            current = null;
            nextAttemptAtMillis = clock.millis();
        }
        issuedThrough = Math.max(issuedThrough, issuer.retire());
        counters.leaseLosses.increment();
        LOG.log(System.Logger.Level.ERROR, "Lost the lease on worker slot {0}; no ids are issued until a slot is "
                + "leased again", issuer.workerId());
        // Releasing may call the registry: never in the thread of the caller that noticed the loss.
        scheduler.schedule(() -> release(issuer.lease()), Duration.ZERO);
        scheduleAttempt(1);
    }

    private void scheduleAttempt(int attempt) {
        Duration delay = backoff.delay(attempt);
        nextAttemptAtMillis = clock.millis() + delay.toMillis();
        scheduler.schedule(() -> attempt(attempt), delay);
    }

    private void attempt(int attempt) {
        if (closed) {
            return;
        }
        SlotIssuer issuer;
        try {
            issuer = open(provider.acquire(layout));
        }
        catch (RuntimeException ex) {
            counters.failedLeaseAttempts.increment();
            LOG.log(System.Logger.Level.WARNING, "Attempt {0} to lease a worker slot again failed: {1}", attempt,
                    ex.getMessage());
            scheduleAttempt(attempt + 1);
            return;
        }
        if (install(issuer)) {
            counters.leasesRegained.increment();
            LOG.log(System.Logger.Level.INFO, "Leased worker slot {0} again; issuing ids", issuer.workerId());
        }
    }

    private static void release(WorkerLease lease) {
        try {
            lease.close();
        }
        catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "Could not release a lost worker lease: {0}", ex.getMessage());
        }
    }

    /** Retires the current issuer and releases its lease; pending attempts end without leasing. */
    @Override
    public void close() {
        SlotIssuer issuer;
        synchronized (this) {
            closed = true;
            issuer = current;
            current = null;
        }
        if (issuer != null) {
            issuer.retire();
            issuer.lease().close();
        }
    }
}

package io.flotilla.txcoordinator.phasetwo;

import io.flotilla.raft.LeadershipListener;
import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.MessageDelivery;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.txcoordinator.raft.TxLog;
import io.flotilla.txcoordinator.state.Branch;
import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.TxChangeListener;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchDone;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchesSettled;
import io.flotilla.txcoordinator.state.command.TxCommand.Settled;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives phase two on the leader: calls every pending branch's confirm/cancel (commit/rollback) URL until it
 * answers 2xx, and writes each outcome to the log — {@code BranchDone} on success, {@code BranchFailed} (attempt
 * count, error, time) on failure — before going on. A new or restarted leader therefore resumes from the log
 * alone: it calls every branch still pending, the first retry of a failed one due at its last attempt plus the
 * back-off for the attempts recorded so far.
 *
 * <p>Work is found two ways: the state machine's change notifications (low latency, as soon as a decision or a
 * failure is applied) and a periodic linearizable re-read of everything in phase two (catches what a
 * notification could not, such as entries applied before this node knew it led). A branch has at most one
 * call scheduled or in flight per leadership term; a call from an earlier term that is still running is
 * harmless because participants' confirm and cancel are idempotent.
 *
 * <p>A branch whose participant announced a batch endpoint at registration ({@link Branch#batched()}) is called
 * through {@link PerParticipantBatcher}: the calls due for one endpoint while its previous batch is in flight go
 * together in one {@link BranchBatch}, and their outcomes are written in one {@link BranchesSettled} entry (a batch of
 * one as the single {@code BranchDone}/{@code BranchFailed} it is). Each branch's outcome is its own: the failed ones
 * are retried after their back-off, in whatever batch they then fall into. Other branches, and message deliveries,
 * are called one by one as before.
 *
 * <p>A failed branch waits out its back-off unless its participant acknowledges another call first (a new
 * transaction's, or another waiting branch's retry): that participant is up again, so its waiting branches are
 * called at once, in a ramp paced by its answers ({@link WaitingBranches}), instead of up to the maximum back-off
 * later.
 *
 * <p>After {@code alertAfterAttempts} failures a branch is flagged: the {@code flotilla.tx.branches.flagged}
 * gauge counts it, the list API shows it, a WARN names it; retries go on at the maximum back-off.
 */
public final class PhaseTwoDriver implements LeadershipListener, TxChangeListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PhaseTwoDriver.class);

    private final TxLog txLog;
    private final ParticipantClient participants;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Backoff backoff;
    private final int alertAfterAttempts;
    private final Duration reconcileInterval;

    /** Changes on every gain or loss of leadership; work scheduled under an older value stops. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean leading;
    /** branchId → generation that scheduled it. */
    private final Map<Long, Long> scheduled = new ConcurrentHashMap<>();
    /** Pending branches with at least alertAfterAttempts failures, as every node's state machine says. */
    private final Map<Long, Boolean> flagged = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> reconciler;

    private final Counter acknowledged;
    private final Counter failed;
    private final PerParticipantBatcher<Due> batches =
            new PerParticipantBatcher<>(BranchBatch.MAX_CALLS, this::sendBatch);
    /** Branches in back-off, woken early once their participant answers again. */
    private final WaitingBranches waiting = new WaitingBranches();

    /** A batched branch's call, due now, as scheduled under generation {@code current}. */
    private record Due(Transaction transaction, Branch branch, long current, String url) {
    }

    public PhaseTwoDriver(TxLog txLog, ParticipantClient participants, ScheduledExecutorService scheduler, Clock clock,
                          Backoff backoff, int alertAfterAttempts, Duration reconcileInterval,
                          MeterRegistry meterRegistry) {
        this.txLog = txLog;
        this.participants = participants;
        this.scheduler = scheduler;
        this.clock = clock;
        this.backoff = backoff;
        this.alertAfterAttempts = alertAfterAttempts;
        this.reconcileInterval = reconcileInterval;
        this.acknowledged = Counter.builder("flotilla.tx.phase2.calls").tag("outcome", "acknowledged")
                .description("Phase-two calls answered 2xx by a participant").register(meterRegistry);
        this.failed = Counter.builder("flotilla.tx.phase2.calls").tag("outcome", "failed")
                .description("Phase-two calls that failed and will be retried").register(meterRegistry);
        Gauge.builder("flotilla.tx.branches.flagged", flagged, Map::size)
                .description("Branches still pending after the alert threshold of failed phase-two attempts")
                .register(meterRegistry);
    }

    /** Whether {@code branch} has failed often enough to be shown to an operator. */
    public boolean isFlagged(Branch branch) {
        return branch.pending() && branch.attempts() >= alertAfterAttempts;
    }

    @Override
    public void onBecameLeader(long term) {
        long current = generation.incrementAndGet();
        // Tasks of an earlier term drop themselves when they fire; forgetting them here lets this term schedule
        // its own at once instead of waiting for an old back-off to run out.
        scheduled.clear();
        waiting.clear();
        leading = true;
        reconciler = scheduler.scheduleWithFixedDelay(() -> reconcile(current), 0, reconcileInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void onLostLeadership(long term) {
        leading = false;
        generation.incrementAndGet();
        scheduled.clear();
        waiting.clear();
        ScheduledFuture<?> running = reconciler;
        if (running != null) {
            running.cancel(false);
        }
    }

    @Override
    public void changed(long index, Transaction transaction) {
        for (Branch branch : transaction.branches()) {
            track(branch);
        }
        if (leading && transaction.status().inPhaseTwo()) {
            long current = generation.get();
            for (Branch branch : transaction.branches()) {
                if (branch.pending()) {
                    ensureScheduled(transaction, branch, current);
                }
            }
        }
    }

    @Override
    public void stateReplaced() {
        flagged.clear();
        scheduler.execute(() -> txLog.read(new TxQuery.InPhaseTwo(), ReadMode.STALE)
                .thenAccept(answer -> ((TxQuery.Many) answer).transactions()
                        .forEach(t -> t.branches().forEach(this::track))));
    }

    /** Reads everything in phase two and schedules what is not scheduled yet. */
    private CompletableFuture<Void> reconcile(long current) {
        if (!leading || generation.get() != current) {
            return CompletableFuture.completedFuture(null);
        }
        return txLog.read(new TxQuery.InPhaseTwo(), ReadMode.LINEARIZABLE)
                .thenAccept(answer -> {
                    for (Transaction transaction : ((TxQuery.Many) answer).transactions()) {
                        for (Branch branch : transaction.branches()) {
                            track(branch);
                            if (branch.pending()) {
                                ensureScheduled(transaction, branch, current);
                            }
                        }
                    }
                })
                .exceptionally(failure -> {
                    log.debug("Phase-two reconcile failed (leadership changing?): {}", failure.toString());
                    return null;
                });
    }

    private void track(Branch branch) {
        if (isFlagged(branch)) {
            flagged.put(branch.branchId(), Boolean.TRUE);
        } else {
            flagged.remove(branch.branchId());
        }
    }

    /**
     * A branch that is due now is called with the state the caller just got from the state machine (a change it
     * applied, or a linearizable read): reading it back first, as a later retry does, would cost a round trip
     * through the Raft loop per branch and tell nothing new.
     */
    private void ensureScheduled(Transaction transaction, Branch branch, long current) {
        if (generation.get() != current || scheduled.putIfAbsent(branch.branchId(), current) != null) {
            return;
        }
        long due = branch.attempts() == 0 ? 0 : branch.lastAttemptAt() + backoff.delayMillis(branch.attempts());
        long delayMillis = due - clock.millis();
        if (delayMillis > 0) {
            schedule(transaction, branch, current, delayMillis);
            return;
        }
        try {
            scheduler.execute(() -> attemptNow(transaction, branch, current));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            scheduled.remove(branch.branchId(), current);
        }
    }

    private void attemptNow(Transaction transaction, Branch branch, long current) {
        if (superseded(branch.branchId(), current)) {
            return;
        }
        call(transaction, branch, current)
                .exceptionally(failure -> stopped(transaction.xid(), branch.branchId(), current, failure));
    }

    /**
     * Runs the branch's next attempt after {@code delayMillis}, or earlier if its participant acknowledges another
     * call meanwhile ({@link WaitingBranches}).
     */
    private void schedule(Transaction transaction, Branch branch, long current, long delayMillis) {
        String xid = transaction.xid();
        long branchId = branch.branchId();
        Runnable timer = waiting.park(branchId, branch.batched() ? branch.batchUrl() : branch.confirmUrl(),
                () -> attempt(xid, branchId, current));
        try {
            scheduler.schedule(timer, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            scheduled.remove(branchId, current);
        }
    }

    /** {@code acknowledged} calls to {@code url} succeeded: its participant is up, so its waiting branches go now. */
    private void wakeWaitingBranches(String url, int acknowledged) {
        waiting.wake(url, acknowledged, attempt -> {
            try {
                scheduler.execute(attempt);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // closing: the branch is retried by whichever node leads next
            }
        });
    }

    /** Re-reads the branch (it may have been finished meanwhile), calls the participant and logs the outcome. */
    private void attempt(String xid, long branchId, long current) {
        if (superseded(branchId, current)) {
            return;
        }
        txLog.read(new TxQuery.Get(xid), ReadMode.STALE)
                .thenComposeAsync(answer -> {
                    Optional<Transaction> transaction = ((TxQuery.One) answer).transaction();
                    Optional<Branch> branch = transaction.filter(t -> t.status().inPhaseTwo())
                            .flatMap(t -> t.branches().stream().filter(b -> b.branchId() == branchId).findFirst())
                            .filter(Branch::pending);
                    if (branch.isEmpty()) {
                        scheduled.remove(branchId, current);
                        return CompletableFuture.completedFuture(null);
                    }
                    return call(transaction.get(), branch.get(), current);
                }, scheduler)
                .exceptionally(failure -> stopped(xid, branchId, current, failure));
    }

    /** Whether leadership moved since this attempt was scheduled; if so it is dropped (the new term schedules its own). */
    private boolean superseded(long branchId, long current) {
        if (generation.get() == current) {
            return false;
        }
        scheduled.remove(branchId, current);
        return true;
    }

    private Void stopped(String xid, long branchId, long current, Throwable failure) {
        scheduled.remove(branchId, current);
        log.debug("Phase-two attempt for branch {} of {} stopped: {}", branchId, xid, failure.toString());
        return null;
    }

    private CompletableFuture<Void> call(Transaction transaction, Branch branch, long current) {
        String xid = transaction.xid();
        CompletableFuture<ParticipantClient.CallOutcome> sent;
        if (transaction.isMessage()) {
            // Only a submitted message reaches phase two with pending branches: an aborted one ends them at once.
            sent = participants.deliver(branch.confirmUrl(), new MessageDelivery(
                    MessageDelivery.messageId(xid, branch.branchId()), xid, branch.branchId(), transaction.name(),
                    transaction.message().payload()));
        } else {
            String url = transaction.status().isCommitDecided() ? branch.confirmUrl() : branch.cancelUrl();
            if (branch.batched()) {
                batches.submit(branch.batchUrl(), new Due(transaction, branch, current, url));
                return CompletableFuture.completedFuture(null);
            }
            sent = participants.call(url, xid, branch.branchId());
        }
        return sent.thenCompose(outcome -> {
            if (outcome.acknowledged()) {
                acknowledged.increment();
                wakeWaitingBranches(branch.confirmUrl(), 1);
                return txLog.submitAtLeader(new BranchDone(xid, branch.branchId(), clock.millis()))
                        .thenAccept(result -> scheduled.remove(branch.branchId(), current));
            }
            failed.increment();
            return txLog.submitAtLeader(new BranchFailed(xid, branch.branchId(), outcome.error(), clock.millis()))
                    .thenAccept(result -> retryLater(transaction, branch, current, outcome.error()));
        });
    }

    private void retryLater(Transaction transaction, Branch branch, long current, String error) {
        int attempts = branch.attempts() + 1;
        if (attempts == alertAfterAttempts) {
            log.warn("Branch {} ({}) of transaction {} failed {} times, last: {}; retrying every {} ms",
                    branch.branchId(), branch.resource(), transaction.xid(), attempts, error,
                    backoff.ceilingMillis(Integer.MAX_VALUE));
        }
        schedule(transaction, branch, current, backoff.delayMillis(attempts));
    }

    /**
     * Sends one batch to a participant's batch endpoint and, once it answered, writes its outcomes in one entry and
     * then retries the failed branches after their back-off. Calls scheduled under an earlier leadership are dropped
     * first (the current term has its own). The future returned completes when the participant answered, which lets
     * the next batch for that endpoint go; the log write runs on after it.
     */
    private CompletableFuture<?> sendBatch(String batchUrl, List<Due> due) {
        List<Due> live = due.stream().filter(d -> !superseded(d.branch().branchId(), d.current())).toList();
        if (live.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<BranchBatch.Call> calls = live.stream()
                .map(d -> new BranchBatch.Call(rawPath(d.url()), d.transaction().xid(), d.branch().branchId()))
                .toList();
        CompletableFuture<List<ParticipantClient.CallOutcome>> sent = participants.callBatch(batchUrl, calls);
        sent.thenCompose(outcomes -> settle(batchUrl, live, outcomes))
                .exceptionally(failure -> {
                    live.forEach(d -> stopped(d.transaction().xid(), d.branch().branchId(), d.current(), failure));
                    return null;
                });
        return sent;
    }

    /**
     * Writes a batch's outcomes in one entry, then retries its failed branches after their back-off; each call the
     * participant acknowledged wakes some of its waiting branches meanwhile.
     */
    private CompletableFuture<Void> settle(String batchUrl, List<Due> live,
                                           List<ParticipantClient.CallOutcome> outcomes) {
        List<Settled> settled = new ArrayList<>(live.size());
        int acknowledgedCalls = 0;
        for (int i = 0; i < live.size(); i++) {
            ParticipantClient.CallOutcome outcome = outcomes.get(i);
            if (outcome.acknowledged()) {
                acknowledgedCalls++;
            }
            (outcome.acknowledged() ? acknowledged : failed).increment();
            Due d = live.get(i);
            settled.add(new Settled(d.transaction().xid(), d.branch().branchId(),
                    outcome.acknowledged() ? "" : outcome.error()));
        }
        wakeWaitingBranches(batchUrl, acknowledgedCalls);
        return txLog.submitAtLeader(settledEntry(settled, clock.millis())).thenAccept(result -> {
            for (int i = 0; i < live.size(); i++) {
                Due d = live.get(i);
                if (settled.get(i).done()) {
                    scheduled.remove(d.branch().branchId(), d.current());
                } else {
                    retryLater(d.transaction(), d.branch(), d.current(), settled.get(i).error());
                }
            }
        });
    }

    /** The log entry recording these outcomes; a batch of one is written as the entry a single call writes. */
    private static TxCommand settledEntry(List<Settled> settled, long now) {
        if (settled.size() > 1) {
            return new BranchesSettled(settled, now);
        }
        Settled only = settled.getFirst();
        return only.done() ? new BranchDone(only.xid(), only.branchId(), now)
                : new BranchFailed(only.xid(), only.branchId(), only.error(), now);
    }

    /** The path a single call would go to, which names the action and the resource for the participant. */
    static String rawPath(String url) {
        try {
            String path = java.net.URI.create(url).getRawPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (IllegalArgumentException invalid) {
            // Registration validated it; should one be unreadable anyway, the participant answers it 404 and it is
            // retried like any failed call, as a single call to it would be.
            return url;
        }
    }

    @Override
    public void close() {
        onLostLeadership(-1);
    }
}

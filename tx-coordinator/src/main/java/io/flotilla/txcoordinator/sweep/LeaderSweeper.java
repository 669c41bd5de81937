package io.flotilla.txcoordinator.sweep;

import io.flotilla.raft.LeadershipListener;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.txcoordinator.message.MessageCheckBacks;
import io.flotilla.txcoordinator.raft.TxLog;
import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.TxValidation;
import io.flotilla.txcoordinator.state.command.TxCommand.Purge;
import io.flotilla.txcoordinator.state.command.TxCommand.TimeOut;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The leader's housekeeping, on the injected clock: proposes {@code TimeOut} for every ACTIVE transaction past its
 * timeout (the log then rolls it back, and the phase-two driver cancels its branches), asks the producer of every
 * prepared message past its time-out ({@link MessageCheckBacks}), and proposes {@code Purge} for
 * transactions finished longer ago than the retention, or for the oldest finished ones beyond the retention limit.
 * Only the leader sweeps; the time it read travels in the
 * command, so every node applies the same decision.
 */
public final class LeaderSweeper implements LeadershipListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderSweeper.class);
    private static final int BATCH = 100;

    private final TxLog txLog;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Duration retention;
    private final int retentionLimit;
    private final int maxPerPurge;
    private final MessageCheckBacks checkBacks;
    private final Counter timeouts;
    private volatile ScheduledFuture<?> sweeping;

    public LeaderSweeper(TxLog txLog, Clock clock, ScheduledExecutorService scheduler, Duration interval,
                         Duration retention, int retentionLimit, int maxPerPurge, MessageCheckBacks checkBacks,
                         MeterRegistry meterRegistry) {
        if (maxPerPurge < 1 || maxPerPurge > TxValidation.MAX_PURGE) {
            throw new IllegalArgumentException("maxPerPurge must be 1.." + TxValidation.MAX_PURGE + ", got " + maxPerPurge);
        }
        this.txLog = txLog;
        this.checkBacks = checkBacks;
        this.clock = clock;
        this.scheduler = scheduler;
        this.interval = interval;
        this.retention = retention;
        this.retentionLimit = retentionLimit;
        this.maxPerPurge = maxPerPurge;
        this.timeouts = Counter.builder("flotilla.tx.timeouts")
                .description("ACTIVE transactions rolled back because their timeout passed").register(meterRegistry);
    }

    @Override
    public void onBecameLeader(long term) {
        sweeping = scheduler.scheduleWithFixedDelay(() -> sweep().exceptionally(failure -> {
            log.debug("Sweep failed (leadership changing?): {}", failure.toString());
            return 0;
        }), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onLostLeadership(long term) {
        ScheduledFuture<?> running = sweeping;
        if (running != null) {
            running.cancel(false);
        }
    }

    /**
     * One pass: times out what has expired by the clock now (asking the producers of expired messages), purges what
     * is past retention; the number of transactions it proposed to time out.
     */
    public CompletableFuture<Integer> sweep() {
        long now = clock.millis();
        return timeOutExpired(now, 0).thenCompose(timedOut -> purge(now).thenApply(purged -> timedOut));
    }

    /**
     * Reads what has expired a page of {@code BATCH} at a time (one page's proposals go to the log together), and
     * reads the next page once the page is settled, until a page is short: one page per sweep timed out at most 100
     * transactions a second, so clients abandoning more than that left the rest ACTIVE, holding their branches'
     * resources past their time-outs, and growing the state. A page that timed nothing out ends the pass too (only
     * messages, whose check-backs are running, so they stay ACTIVE at the front): the next page would be the same.
     */
    private CompletableFuture<Integer> timeOutExpired(long now, int timedOutSoFar) {
        return txLog.read(new TxQuery.Expired(now, BATCH), ReadMode.LINEARIZABLE).thenCompose(answer -> {
            List<Transaction> expired = ((TxQuery.Many) answer).transactions();
            // A message past its time-out is not rolled back but asked about: only its producer knows the outcome.
            expired.stream().filter(Transaction::isMessage).forEach(checkBacks::checkBack);
            List<CompletableFuture<Boolean>> proposals = expired.stream().filter(t -> !t.isMessage())
                    .map(t -> txLog.submitAtLeader(new TimeOut(t.xid(), now)).thenApply(result -> {
                        if (result instanceof TxResult.Ok ok && ok.status().isRollbackDecided()) {
                            timeouts.increment();
                            log.info("Transaction {} ({}) timed out at {}: rolling back", t.xid(), t.name(),
                                    java.time.Instant.ofEpochMilli(t.timeoutAt()));
                        }
                        return result instanceof TxResult.Ok;
                    }))
                    .toList();
            return CompletableFuture.allOf(proposals.toArray(CompletableFuture<?>[]::new)).thenCompose(done -> {
                int timedOut = timedOutSoFar + proposals.size();
                // Each applied TimeOut took its transaction out of the ACTIVE ones, so the next page is a new one.
                boolean progress = proposals.stream().anyMatch(CompletableFuture::join);
                return expired.size() == BATCH && progress
                        ? timeOutExpired(now, timedOut) : CompletableFuture.completedFuture(timedOut);
            });
        });
    }

    /**
     * Purges what finished longer ago than the retention and, while more than the retention limit remain, the
     * oldest of the rest: finished transactions live in every node's heap, and a time bound alone let them grow
     * with the rate (one node with the launcher's 128 MB heap stopped on OutOfMemoryError after 100 s at 1,500
     * transactions/s, 270,000 of them retained). A {@code Purge} forgets in finishing order, so one kind of command
     * does both. All that is due goes in this sweep, in commands of at most {@code maxPerPurge} (one command's
     * apply stays short on the Raft loop): a single command per sweep purged at most 10,000 a second, and a node
     * finishing 12,000 transactions a second grew past any limit until it stopped on OutOfMemoryError.
     */
    private CompletableFuture<Integer> purge(long now) {
        long cutoff = now - retention.toMillis();
        return finishedBefore(Long.MAX_VALUE).thenCompose(finished -> finishedBefore(cutoff).thenCompose(expired -> {
            int overLimit = finished - retentionLimit;
            return overLimit > expired
                    ? purgeInBatches(Long.MAX_VALUE, overLimit, now, 0)
                    : purgeInBatches(cutoff, expired, now, 0);
        }));
    }

    /**
     * Proposes {@code Purge}s of the oldest finished before {@code finishedBefore}, one after another, until
     * {@code count} are gone or one purges fewer than it asked for (nothing that old is left); the number purged.
     */
    private CompletableFuture<Integer> purgeInBatches(long finishedBefore, int count, long now, int purgedSoFar) {
        if (count <= 0) {
            return CompletableFuture.completedFuture(purgedSoFar);
        }
        int batch = Math.min(count, maxPerPurge);
        return txLog.submitAtLeader(new Purge(finishedBefore, batch, now)).thenCompose(result -> {
            int purged = result instanceof TxResult.Ok ok ? ok.purged() : 0;
            return purged < batch
                    ? CompletableFuture.completedFuture(purgedSoFar + purged)
                    : purgeInBatches(finishedBefore, count - purged, now, purgedSoFar + purged);
        });
    }

    /** How many transactions finished before {@code millis}, on this node's own state. */
    private CompletableFuture<Integer> finishedBefore(long millis) {
        return txLog.read(new TxQuery.FinishedBefore(millis, 1), ReadMode.STALE)
            .thenApply(answer -> ((TxQuery.Many) answer).matching());
    }

    @Override
    public void close() {
        onLostLeadership(-1);
    }
}

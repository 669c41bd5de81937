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
    private final MessageCheckBacks checkBacks;
    private final Counter timeouts;
    private volatile ScheduledFuture<?> sweeping;

    public LeaderSweeper(TxLog txLog, Clock clock, ScheduledExecutorService scheduler, Duration interval,
                         Duration retention, int retentionLimit, MessageCheckBacks checkBacks,
                         MeterRegistry meterRegistry) {
        this.txLog = txLog;
        this.checkBacks = checkBacks;
        this.clock = clock;
        this.scheduler = scheduler;
        this.interval = interval;
        this.retention = retention;
        this.retentionLimit = retentionLimit;
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

    /** One pass: times out what has expired by the clock now, purges what is past retention; the number timed out. */
    public CompletableFuture<Integer> sweep() {
        long now = clock.millis();
        return timeOutExpired(now).thenCompose(timedOut -> purge(now).thenApply(purged -> timedOut));
    }

    private CompletableFuture<Integer> timeOutExpired(long now) {
        return txLog.read(new TxQuery.Expired(now, BATCH), ReadMode.LINEARIZABLE).thenCompose(answer -> {
            List<Transaction> expired = ((TxQuery.Many) answer).transactions();
            // A message past its time-out is not rolled back but asked about: only its producer knows the outcome.
            expired.stream().filter(Transaction::isMessage).forEach(checkBacks::checkBack);
            CompletableFuture<?>[] proposals = expired.stream().filter(t -> !t.isMessage())
                    .map(t -> txLog.submitAtLeader(new TimeOut(t.xid(), now)).thenAccept(result -> {
                        if (result instanceof TxResult.Ok ok && ok.status().isRollbackDecided()) {
                            timeouts.increment();
                            log.info("Transaction {} ({}) timed out at {}: rolling back", t.xid(), t.name(),
                                    java.time.Instant.ofEpochMilli(t.timeoutAt()));
                        }
                    }))
                    .toArray(CompletableFuture<?>[]::new);
            return CompletableFuture.allOf(proposals).thenApply(done -> expired.size());
        });
    }

    /**
     * Purges what finished longer ago than the retention and, while more than the retention limit remain, the
     * oldest of the rest: finished transactions live in every node's heap, and a time bound alone let them grow
     * with the rate (one node with the launcher's 128 MB heap stopped on OutOfMemoryError after 100 s at 1,500
     * transactions/s, 270,000 of them retained). One {@code Purge} does both, as it forgets in finishing order.
     */
    private CompletableFuture<Integer> purge(long now) {
        long cutoff = now - retention.toMillis();
        return finishedBefore(Long.MAX_VALUE).thenCompose(finished -> finishedBefore(cutoff).thenCompose(expired -> {
            int overLimit = finished - retentionLimit;
            if (expired == 0 && overLimit <= 0) {
                return CompletableFuture.completedFuture(0);
            }
            Purge purge = overLimit > expired
                    ? new Purge(Long.MAX_VALUE, Math.min(overLimit, TxValidation.MAX_PURGE), now)
                    : new Purge(cutoff, TxValidation.MAX_PURGE, now);
            return txLog.submitAtLeader(purge).thenApply(result -> result instanceof TxResult.Ok ok ? ok.purged() : 0);
        }));
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

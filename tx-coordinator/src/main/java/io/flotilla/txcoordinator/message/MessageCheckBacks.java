package io.flotilla.txcoordinator.message;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.txcoordinator.phasetwo.Backoff;
import io.flotilla.txcoordinator.phasetwo.ParticipantClient;
import io.flotilla.txcoordinator.raft.TxLog;
import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.CheckBackFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
import io.flotilla.txcoordinator.state.command.TxCommand.Rollback;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Settles a prepared message that was neither submitted nor aborted in time by asking its producer
 * ({@code checkUrl}): COMMITTED proposes the submit, ROLLED_BACK the abort, exactly as if the producer had sent them.
 * The producer answers from its barrier row, and makes "never ran" final by writing the row as rolled back, so the
 * answer cannot be overtaken by a late local commit. A failed check-back is logged ({@code CheckBackFailed}) with the
 * time of the next one, on the phase-two back-off, so a new leader neither loses nor hurries it.
 */
public final class MessageCheckBacks {

    private static final Logger log = LoggerFactory.getLogger(MessageCheckBacks.class);

    private final TxLog txLog;
    private final ParticipantClient participants;
    private final Backoff backoff;
    private final Clock clock;
    private final int alertAfterAttempts;
    /** One check-back per message at a time on this node; a slow producer is not asked again before it answers. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Counter settled;
    private final Counter failed;

    public MessageCheckBacks(TxLog txLog, ParticipantClient participants, Backoff backoff, Clock clock,
                             int alertAfterAttempts, MeterRegistry meterRegistry) {
        this.txLog = txLog;
        this.participants = participants;
        this.backoff = backoff;
        this.clock = clock;
        this.alertAfterAttempts = alertAfterAttempts;
        this.settled = Counter.builder("flotilla.tx.message.checkbacks").tag("outcome", "answered")
                .description("Check-backs a message's producer answered").register(meterRegistry);
        this.failed = Counter.builder("flotilla.tx.message.checkbacks").tag("outcome", "failed")
                .description("Check-backs that failed and will be repeated").register(meterRegistry);
    }

    /** Asks the producer of the ACTIVE message {@code message} and logs what follows; never completes exceptionally. */
    public CompletableFuture<Void> checkBack(Transaction message) {
        String xid = message.xid();
        if (!inFlight.add(xid)) {
            return CompletableFuture.completedFuture(null);
        }
        return participants.checkBack(message.message().checkUrl(), xid)
                .thenCompose(outcome -> txLog.submitAtLeader(next(message, outcome)).thenAccept(result -> {
                    if (outcome.status() != null) {
                        settled.increment();
                        log.info("Message {} ({}) settled by check-back: {}", xid, message.name(), outcome.status());
                    } else {
                        failed.increment();
                        int attempts = message.message().checkAttempts() + 1;
                        if (attempts >= alertAfterAttempts) {
                            log.warn("Check-back of message {} ({}) failed {} times, last: {}", xid, message.name(),
                                    attempts, outcome.error());
                        }
                    }
                }))
                .exceptionally(failure -> {
                    log.debug("Check-back of message {} stopped (leadership changing?): {}", xid, failure.toString());
                    return null;
                })
                .whenComplete((done, failure) -> inFlight.remove(xid));
    }

    private TxCommand next(Transaction message, ParticipantClient.CheckBackOutcome outcome) {
        long now = clock.millis();
        if (outcome.status() == GlobalStatus.COMMITTED) {
            return new Commit(message.xid(), now);
        }
        if (outcome.status() == GlobalStatus.ROLLED_BACK) {
            return new Rollback(message.xid(), now);
        }
        int attempts = message.message().checkAttempts() + 1;
        return new CheckBackFailed(message.xid(), outcome.error(), now + backoff.delayMillis(attempts), now);
    }
}

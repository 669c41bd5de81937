package io.flotilla.tx.message;

import io.flotilla.tx.api.MessagePrepareRequest;
import io.flotilla.tx.core.CoordinatorClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Two-phase messages through the coordinator: prepares the message (targets, payload, this application's check-back
 * URL), writes the barrier row in the caller's transaction, and once that transaction has committed submits the
 * message (or aborts it after a rollback). A submit or abort that fails here is not retried: the coordinator asks
 * back after {@code checkAfter} and the barrier row answers, so the outcome never depends on this call.
 */
public final class CoordinatorMessagePublisher implements MessagePublisher {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorMessagePublisher.class);

    private final CoordinatorClient coordinator;
    private final MessageBarrier barrier;
    private final Supplier<String> checkUrl;
    private final Duration checkAfter;

    public CoordinatorMessagePublisher(CoordinatorClient coordinator, MessageBarrier barrier, Supplier<String> checkUrl,
                                       Duration checkAfter) {
        this.coordinator = coordinator;
        this.barrier = barrier;
        this.checkUrl = checkUrl;
        this.checkAfter = checkAfter;
    }

    @Override
    public String publish(String name, List<String> targets, String payloadJson) {
        String xid = coordinator.prepareMessage(new MessagePrepareRequest(targets, payloadJson, checkUrl.get(),
                checkAfter.toMillis(), name));
        // Registered before the barrier insert, so a failed insert still aborts the prepared message at once.
        TransactionSynchronizationManager.registerSynchronization(new Settle(xid));
        barrier.commitInCurrentTransaction(xid);
        return xid;
    }

    /** Submits after the local commit, aborts after a rollback. */
    private final class Settle implements TransactionSynchronization {

        private final String xid;

        Settle(String xid) {
            this.xid = xid;
        }

        @Override
        public void afterCompletion(int status) {
            if (status == STATUS_UNKNOWN) {
                // The database may or may not have committed: only the barrier row knows, so the check-back decides.
                log.warn("Outcome of the local transaction of message {} is unknown; the coordinator's check-back "
                        + "will settle it", xid);
                return;
            }
            boolean committed = status == STATUS_COMMITTED;
            try {
                if (committed) {
                    coordinator.commit(xid);
                } else {
                    coordinator.rollback(xid);
                }
            } catch (RuntimeException e) {
                log.warn("Could not {} message {} ({}); the coordinator's check-back will settle it",
                        committed ? "submit" : "abort", xid, e.toString());
            }
        }
    }
}

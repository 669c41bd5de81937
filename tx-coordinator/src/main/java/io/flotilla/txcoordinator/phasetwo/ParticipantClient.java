package io.flotilla.txcoordinator.phasetwo;

import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.MessageCheck;
import io.flotilla.tx.api.MessageDelivery;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers one phase-two call: POST {@code {xid, branchId}} to a branch's confirm/cancel (commit/rollback) URL, or a
 * two-phase message's {@link MessageDelivery} to one of its targets.
 */
public interface ParticipantClient {

    /** Completes with the outcome; never completes exceptionally. */
    CompletableFuture<CallOutcome> call(String url, String xid, long branchId);

    /**
     * Sends several branches' calls in one {@link BranchBatch} to a participant's batch endpoint (announced at their
     * registration); completes with one outcome per call, in their order, never exceptionally. When the batch itself
     * fails (status, connection, an answer that does not match the calls) every call has that failure.
     */
    CompletableFuture<List<CallOutcome>> callBatch(String batchUrl, List<BranchBatch.Call> calls);

    /** Delivers a message to one target; completes with the outcome, never exceptionally. */
    CompletableFuture<CallOutcome> deliver(String url, MessageDelivery delivery);

    /**
     * Asks a message's producer how its local transaction ended ({@link MessageCheck} to {@code url}); completes
     * with the answer, never exceptionally.
     */
    CompletableFuture<CheckBackOutcome> checkBack(String url, String xid);

    /** The producer's answer, COMMITTED or ROLLED_BACK, or (status null) why there is none. */
    record CheckBackOutcome(GlobalStatus status, String error) {

        public static CheckBackOutcome answered(GlobalStatus status) {
            return new CheckBackOutcome(status, "");
        }

        public static CheckBackOutcome failed(String error) {
            return new CheckBackOutcome(null, error);
        }
    }

    /** Whether the participant acknowledged (2xx) and, if not, why. */
    record CallOutcome(boolean acknowledged, String error) {

        public static CallOutcome ok() {
            return new CallOutcome(true, "");
        }

        public static CallOutcome failed(String error) {
            return new CallOutcome(false, error);
        }
    }
}

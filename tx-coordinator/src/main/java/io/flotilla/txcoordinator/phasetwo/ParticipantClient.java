package io.flotilla.txcoordinator.phasetwo;

import java.util.concurrent.CompletableFuture;

/** Delivers one phase-two call: POST {@code {xid, branchId}} to a branch's confirm/cancel (commit/rollback) URL. */
public interface ParticipantClient {

    /** Completes with the outcome; never completes exceptionally. */
    CompletableFuture<CallOutcome> call(String url, String xid, long branchId);

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

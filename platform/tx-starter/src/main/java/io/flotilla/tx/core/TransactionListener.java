package io.flotilla.tx.core;

import io.flotilla.tx.api.TransactionMode;
import java.time.Duration;

/** Told about finished global transactions and branch phases; the metrics package turns these into meters. */
public interface TransactionListener {

    TransactionListener NONE = new TransactionListener() {
    };

    /** A global transaction this process began has ended, with {@code outcome} COMMITTED, ROLLED_BACK or UNKNOWN. */
    default void globalFinished(TransactionMode mode, String outcome, Duration duration) {
    }

    /**
     * A branch phase ran in this participant: {@code phase} is try, confirm, cancel, prepare, commit or rollback;
     * {@code outcome} is ok, failed, refused (anti-suspension), empty (empty rollback) or duplicate.
     */
    default void branchPhase(TransactionMode mode, String resource, String phase, String outcome) {
    }
}

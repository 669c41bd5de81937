package io.flotilla.tx.api;

/**
 * How the branches of a global transaction reach agreement. The coordinator's log stores the ordinal: constants
 * are only ever appended.
 */
public enum TransactionMode {

    /** Try-confirm-cancel: each branch reserves in its try and is confirmed or cancelled by the coordinator. */
    TCC,

    /** Two-phase commit: each branch is an XA branch prepared on its own database, then committed or rolled back. */
    XA,

    /**
     * Two-phase message: prepared with its targets and payload, submitted once the producer's local transaction
     * committed (or settled by asking the producer back), then delivered to every target at least once.
     */
    MSG
}

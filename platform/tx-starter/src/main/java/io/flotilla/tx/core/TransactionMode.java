package io.flotilla.tx.core;

/** How the branches of a global transaction reach agreement. */
public enum TransactionMode {

    /** Try-confirm-cancel: each branch reserves in its try and is confirmed or cancelled by the coordinator. */
    TCC,

    /** Two-phase commit: each branch is an XA branch prepared on its own database, then committed or rolled back. */
    XA
}

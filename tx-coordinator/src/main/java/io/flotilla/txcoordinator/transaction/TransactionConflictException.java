package io.flotilla.txcoordinator.transaction;

import io.flotilla.txcoordinator.state.TxStatus;

/** The transaction's state forbids the request (a branch after the decision, a commit after a rollback). */
public class TransactionConflictException extends RuntimeException {

    private final TxStatus status;

    public TransactionConflictException(String message, TxStatus status) {
        super(message);
        this.status = status;
    }

    public TxStatus status() {
        return status;
    }
}

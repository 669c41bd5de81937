package io.flotilla.txcoordinator.transaction;

import io.flotilla.tx.api.GlobalStatus;


/** The transaction's state forbids the request (a branch after the decision, a commit after a rollback). */
public class TransactionConflictException extends RuntimeException {

    private final GlobalStatus status;

    public TransactionConflictException(String message, GlobalStatus status) {
        super(message);
        this.status = status;
    }

    public GlobalStatus status() {
        return status;
    }
}

package io.flotilla.tx.core;

/**
 * The commit request could not be confirmed by the coordinator. If the request never arrived the transaction
 * is rolled back at its timeout; ask the coordinator ({@link CoordinatorClient#status}) for the outcome.
 */
public class TransactionOutcomeUnknownException extends CoordinatorException {

    private final String xid;

    public TransactionOutcomeUnknownException(String xid, Throwable cause) {
        super("the outcome of global transaction " + xid + " is unknown: " + cause.getMessage(), cause);
        this.xid = xid;
    }

    public String xid() {
        return xid;
    }
}

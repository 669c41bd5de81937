package io.flotilla.tx.core;

/** A branch tried to join a global transaction that has already been decided (or timed out). */
public class TransactionNotActiveException extends CoordinatorException {

    private final String xid;

    public TransactionNotActiveException(String xid, String detail) {
        super("global transaction " + xid + " is no longer active: " + detail);
        this.xid = xid;
    }

    public String xid() {
        return xid;
    }
}

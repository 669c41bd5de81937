package io.flotilla.tx.core;

/** The coordinator has no global transaction with this xid. */
public class UnknownTransactionException extends CoordinatorException {

    private final String xid;

    public UnknownTransactionException(String xid) {
        super("the coordinator knows no global transaction " + xid);
        this.xid = xid;
    }

    public String xid() {
        return xid;
    }
}

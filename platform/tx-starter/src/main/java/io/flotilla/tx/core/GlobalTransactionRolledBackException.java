package io.flotilla.tx.core;

import io.flotilla.tx.api.GlobalStatus;

/**
 * The initiator's block finished, but the coordinator had already rolled the transaction back (it timed out, or
 * an operator rolled it back), so none of its branches took effect.
 */
public class GlobalTransactionRolledBackException extends CoordinatorException {

    private final String xid;

    public GlobalTransactionRolledBackException(String xid, GlobalStatus status) {
        super("global transaction " + xid + " was rolled back by the coordinator (status " + status + ")");
        this.xid = xid;
    }

    public String xid() {
        return xid;
    }
}

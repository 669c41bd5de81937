package io.flotilla.inventory.stock;

import io.flotilla.tx.core.XidContext;

/** A stock move outside a global transaction could never be confirmed or undone, so it is bad input. */
public class GlobalTransactionRequiredException extends RuntimeException {

    GlobalTransactionRequiredException() {
        super("Stock moves run inside a global transaction: send the " + XidContext.XID_HEADER
                + " header (the tx starter's clients do)");
    }

    static void check() {
        if (!XidContext.inGlobalTransaction()) {
            throw new GlobalTransactionRequiredException();
        }
    }
}

package io.flotilla.tx.seata.initiator;

import io.flotilla.tx.core.XidContext;
import io.seata.core.context.RootContext;

/**
 * Keeps Seata's {@link RootContext} showing the xid Flotilla's {@link XidContext} holds, for code that reads
 * {@code RootContext.getXID()} (to pass it on, or to log it), while a scope is open.
 */
public final class SeataRootContext {

    private SeataRootContext() {
    }

    /** Binds {@code xid} (none: nothing) to {@link RootContext} until the scope closes, which restores the previous one. */
    public static XidContext.Scope bind(String xid) {
        if (xid == null) {
            return () -> { };
        }
        String previous = RootContext.getXID();
        RootContext.bind(xid);
        return () -> {
            if (previous == null) {
                RootContext.unbind();
            } else {
                RootContext.bind(previous);
            }
        };
    }
}

package io.flotilla.tx.core;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TxHeaders;

/**
 * The global transaction the current thread works for. The initiator binds it around its block; participants
 * bind it for the duration of a request that carried the xid header. Outgoing HTTP calls read it to propagate
 * the xid.
 */
public final class XidContext {

    /** HTTP header carrying the xid from the initiator to participants. */
    public static final String XID_HEADER = TxHeaders.XID;

    /** HTTP header carrying the transaction's mode, so a participant serving both can pick TCC or XA. */
    public static final String MODE_HEADER = TxHeaders.MODE;

    private static final ThreadLocal<Bound> CURRENT = new ThreadLocal<>();

    private XidContext() {
    }

    /** The xid bound to this thread, or {@code null} outside a global transaction. */
    public static String currentXid() {
        Bound bound = CURRENT.get();
        return bound == null ? null : bound.xid();
    }

    /** The mode of the transaction bound to this thread, or {@code null} when unknown. */
    public static TransactionMode currentMode() {
        Bound bound = CURRENT.get();
        return bound == null ? null : bound.mode();
    }

    public static boolean inGlobalTransaction() {
        return CURRENT.get() != null;
    }

    /** Binds {@code xid} to this thread until the returned scope is closed, which restores what was bound before. */
    public static Scope bind(String xid, TransactionMode mode) {
        Bound previous = CURRENT.get();
        CURRENT.set(new Bound(xid, mode));
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Undoes one {@link #bind}; closing never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {

        @Override
        void close();
    }

    private record Bound(String xid, TransactionMode mode) {
    }
}

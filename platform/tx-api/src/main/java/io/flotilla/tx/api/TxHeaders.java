package io.flotilla.tx.api;

/** Headers that carry a global transaction from the initiator to its participants. */
public final class TxHeaders {

    /** The global transaction id the request runs in. */
    public static final String XID = "X-Flotilla-Xid";

    /** The transaction's {@link TransactionMode}. */
    public static final String MODE = "X-Flotilla-Tx-Mode";

    private TxHeaders() {
    }
}

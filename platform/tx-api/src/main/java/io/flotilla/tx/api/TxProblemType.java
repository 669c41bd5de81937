package io.flotilla.tx.api;

import io.flotilla.raft.client.ProblemType;

import java.util.Optional;

/**
 * The RFC 9457 problem {@code type}s the coordinator answers a refused request with. A failure of the cluster
 * rather than of the request is a 503 with one of {@link io.flotilla.raft.client.RaftProblemType}'s types instead.
 */
public enum TxProblemType implements ProblemType {

    /** 400: the request is malformed or out of range; nothing was written. */
    INVALID_REQUEST("tx:invalid-request"),

    /** 404: no such transaction. */
    TRANSACTION_NOT_FOUND("tx:transaction-not-found"),

    /**
     * 409: the transaction's state forbids the request (a branch for a decided transaction, a commit after a
     * rollback). The problem's {@value #TRANSACTION_STATUS_PROPERTY} member is its {@link GlobalStatus}.
     */
    TRANSACTION_CONFLICT("tx:transaction-conflict"),

    /**
     * 400, from a participant: a branch method ({@code @TccAction}) was called without a global transaction, i.e.
     * the request carried no {@link TxHeaders#XID} header (the caller's HTTP client did not propagate it, or the
     * call was not made inside a global transaction). Nothing was done.
     */
    NO_GLOBAL_TRANSACTION("tx:no-global-transaction");

    /** Name of the member of a {@link #TRANSACTION_CONFLICT} problem that carries the transaction's status. */
    public static final String TRANSACTION_STATUS_PROPERTY = "transactionStatus";

    private final String slug;

    TxProblemType(String slug) {
        this.slug = slug;
    }

    @Override
    public String slug() {
        return slug;
    }

    /** The type whose {@link #uri()} is {@code type}, if it is one of these. */
    public static Optional<TxProblemType> fromUri(String type) {
        return ProblemType.fromUri(TxProblemType.class, type);
    }
}

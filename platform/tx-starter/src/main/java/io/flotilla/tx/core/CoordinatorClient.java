package io.flotilla.tx.core;

import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.MessagePrepareRequest;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TransactionView;
import java.time.Duration;

/** The coordinator's HTTP API as its clients (initiators and participants) use it. */
public interface CoordinatorClient {

    /** Begins a global transaction that the coordinator rolls back if it is still active after {@code timeout}. */
    GlobalTransaction begin(TransactionMode mode, Duration timeout, String name);

    /**
     * Registers a branch and returns its id. Not idempotent: each call adds a branch.
     *
     * @throws TransactionNotActiveException when the transaction has already been decided
     */
    long registerBranch(String xid, BranchRequest branch);

    /** Asks the coordinator to commit; returns the status it answered with (idempotent). */
    GlobalStatus commit(String xid);

    /** Asks the coordinator to roll back; returns the status it answered with (idempotent). */
    GlobalStatus rollback(String xid);

    /**
     * Reads a global transaction's state.
     *
     * @throws UnknownTransactionException when the coordinator has no such transaction
     */
    TransactionView status(String xid);

    /**
     * Prepares a two-phase message and returns its xid; submit it with {@link #commit}, abort it with
     * {@link #rollback}. Not repeated after an unknown outcome (an orphan is settled by its check-back).
     */
    default String prepareMessage(MessagePrepareRequest message) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot prepare messages");
    }
}

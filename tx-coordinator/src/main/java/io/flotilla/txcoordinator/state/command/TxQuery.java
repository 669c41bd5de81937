package io.flotilla.txcoordinator.state.command;

import io.flotilla.tx.api.GlobalStatus;

import io.flotilla.txcoordinator.state.Transaction;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Read-only questions to the state machine, and their answers. */
public sealed interface TxQuery {

    record Get(String xid) implements TxQuery {
        public Get {
            Objects.requireNonNull(xid, "xid");
        }
    }

    /**
     * Transactions with {@code status} (null: any) created before {@code createdBeforeMillis}, oldest first,
     * at most {@code limit}.
     */
    record ListTransactions(GlobalStatus status, long createdBeforeMillis, int limit) implements TxQuery {
    }

    /** Every transaction in phase two: the leader's phase-two driver works through these. */
    record InPhaseTwo() implements TxQuery {
    }

    /** ACTIVE transactions whose timeout is at or before {@code nowMillis}, earliest first, at most {@code limit}. */
    record Expired(long nowMillis, int limit) implements TxQuery {
    }

    /** Finished transactions that finished before {@code beforeMillis}, earliest first, at most {@code limit}. */
    record FinishedBefore(long beforeMillis, int limit) implements TxQuery {
    }

    sealed interface Answer {
    }

    record One(Optional<Transaction> transaction) implements Answer {
    }

    /** {@code matching} counts every match, {@code transactions} holds the first {@code limit} of them. */
    record Many(List<Transaction> transactions, int matching) implements Answer {
        public Many {
            transactions = List.copyOf(transactions);
        }
    }
}

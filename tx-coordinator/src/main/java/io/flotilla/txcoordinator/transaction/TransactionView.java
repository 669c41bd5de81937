package io.flotilla.txcoordinator.transaction;

import io.flotilla.txcoordinator.state.Branch;
import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.TxMode;
import io.flotilla.txcoordinator.state.TxStatus;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A transaction as the API shows it. {@code timedOut}: the rollback was forced by the timeout. {@code decidedAt}:
 * when it left ACTIVE; {@code finishedAt}: when phase two ended (null until then).
 */
public record TransactionView(String xid, TxMode mode, String name, TxStatus status, boolean timedOut,
                              Instant createdAt, Instant timeoutAt, Instant decidedAt, Instant finishedAt,
                              List<BranchView> branches) {

    static TransactionView of(Transaction t, Predicate<Branch> flagged) {
        return new TransactionView(t.xid(), t.mode(), t.name().isEmpty() ? null : t.name(), t.status(), t.timedOut(),
                instant(t.createdAt()), instant(t.timeoutAt()), instant(t.decidedAt()), instant(t.finishedAt()),
                t.branches().stream().map(b -> BranchView.of(b, flagged.test(b))).toList());
    }

    static Instant instant(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis);
    }
}

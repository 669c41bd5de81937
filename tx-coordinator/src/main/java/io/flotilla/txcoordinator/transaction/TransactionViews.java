package io.flotilla.txcoordinator.transaction;

import io.flotilla.tx.api.BranchView;
import io.flotilla.tx.api.TransactionView;
import io.flotilla.txcoordinator.state.Branch;
import io.flotilla.txcoordinator.state.Transaction;

import java.time.Instant;
import java.util.function.Predicate;

/** Turns the log's transactions into the API's views: times as instants (null until they happen), empty text as null. */
final class TransactionViews {

    private TransactionViews() {
    }

    static TransactionView of(Transaction t, Predicate<Branch> flagged) {
        return new TransactionView(t.xid(), t.mode(), t.name().isEmpty() ? null : t.name(), t.status(), t.timedOut(),
                instant(t.createdAt()), instant(t.timeoutAt()), instant(t.decidedAt()), instant(t.finishedAt()),
                t.branches().stream().map(b -> branch(b, flagged.test(b))).toList());
    }

    private static BranchView branch(Branch branch, boolean flagged) {
        return new BranchView(branch.branchId(), branch.resource(), branch.confirmUrl(), branch.cancelUrl(),
                branch.batched() ? branch.batchUrl() : null, branch.status(), branch.attempts(), branch.lastError().isEmpty() ? null : branch.lastError(), flagged,
                instant(branch.registeredAt()), instant(branch.lastAttemptAt()), instant(branch.finishedAt()));
    }

    private static Instant instant(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis);
    }
}

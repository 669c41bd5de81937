package io.flotilla.txcoordinator.state;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A global transaction as the log has decided it. Times are epoch milliseconds stamped by the proposing
 * node ({@code decidedAt} when it left ACTIVE, {@code finishedAt} when phase two ended; 0 = not yet).
 * {@code timedOut} says the rollback was forced by the timeout rather than asked for. Branches are in
 * registration order (branch ids are the log indexes that registered them).
 */
public record Transaction(String xid, TransactionMode mode, String name, GlobalStatus status, boolean timedOut, long createdAt,
                          long timeoutAt, long decidedAt, long finishedAt, List<Branch> branches) {

    public Transaction {
        Objects.requireNonNull(xid, "xid");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        branches = List.copyOf(branches);
    }

    public long pendingBranches() {
        return branches.stream().filter(Branch::pending).count();
    }

    Transaction withBranch(Branch branch) {
        List<Branch> more = new ArrayList<>(branches);
        more.add(branch);
        return new Transaction(xid, mode, name, status, timedOut, createdAt, timeoutAt, decidedAt, finishedAt, more);
    }

    Transaction replaceBranch(Branch branch) {
        List<Branch> updated = new ArrayList<>(branches.size());
        for (Branch existing : branches) {
            updated.add(existing.branchId() == branch.branchId() ? branch : existing);
        }
        return new Transaction(xid, mode, name, status, timedOut, createdAt, timeoutAt, decidedAt, finishedAt, updated);
    }

    /** Leaves ACTIVE; with no branch pending, phase two has nothing to do and the transaction ends at once. */
    Transaction decide(boolean commit, boolean byTimeout, long at) {
        Transaction decided = new Transaction(xid, mode, name, commit ? GlobalStatus.COMMITTING : GlobalStatus.ROLLING_BACK,
                byTimeout, createdAt, timeoutAt, at, 0, branches);
        return decided.finishIfDone(at);
    }

    Transaction finishIfDone(long at) {
        if (!status.inPhaseTwo() || pendingBranches() > 0) {
            return this;
        }
        GlobalStatus end = status == GlobalStatus.COMMITTING ? GlobalStatus.COMMITTED : GlobalStatus.ROLLED_BACK;
        return new Transaction(xid, mode, name, end, timedOut, createdAt, timeoutAt, decidedAt, at, branches);
    }
}

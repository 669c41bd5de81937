package io.flotilla.txcoordinator.state;

import io.flotilla.tx.api.BranchStatus;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A global transaction as the log has decided it. Times are epoch milliseconds stamped by the proposing
 * node ({@code decidedAt} when it left ACTIVE, {@code finishedAt} when phase two ended; 0 = not yet).
 * {@code timedOut} says the rollback was forced by the timeout rather than asked for. Branches are in
 * registration order (branch ids are the log indexes that registered them). {@code message} is the payload and
 * check-back of a {@code MSG} transaction, null for the other modes; for a message {@code timeoutAt} is when the
 * producer is (next) asked back.
 */
public record Transaction(String xid, TransactionMode mode, String name, GlobalStatus status, boolean timedOut, long createdAt,
                          long timeoutAt, long decidedAt, long finishedAt, List<Branch> branches, Message message) {

    public Transaction(String xid, TransactionMode mode, String name, GlobalStatus status, boolean timedOut,
                       long createdAt, long timeoutAt, long decidedAt, long finishedAt, List<Branch> branches) {
        this(xid, mode, name, status, timedOut, createdAt, timeoutAt, decidedAt, finishedAt, branches, null);
    }

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
        return new Transaction(xid, mode, name, status, timedOut, createdAt, timeoutAt, decidedAt, finishedAt, more,
                message);
    }

    Transaction replaceBranch(Branch branch) {
        List<Branch> updated = new ArrayList<>(branches.size());
        for (Branch existing : branches) {
            updated.add(existing.branchId() == branch.branchId() ? branch : existing);
        }
        return new Transaction(xid, mode, name, status, timedOut, createdAt, timeoutAt, decidedAt, finishedAt, updated,
                message);
    }

    /** Whether this is a two-phase message. */
    public boolean isMessage() {
        return mode == TransactionMode.MSG;
    }

    /**
     * Leaves ACTIVE; with no branch pending, phase two has nothing to do and the transaction ends at once. An aborted
     * message was never delivered, so its targets have nothing to undo: they end with it.
     */
    Transaction decide(boolean commit, boolean byTimeout, long at) {
        List<Branch> outcome = branches;
        if (isMessage() && !commit) {
            outcome = branches.stream().map(b -> b.pending() ? b.done(BranchStatus.ROLLED_BACK, at) : b).toList();
        }
        Transaction decided = new Transaction(xid, mode, name, commit ? GlobalStatus.COMMITTING : GlobalStatus.ROLLING_BACK,
                byTimeout, createdAt, timeoutAt, at, 0, outcome, message);
        return decided.finishIfDone(at);
    }

    /** A message whose check-back failed: counts it and asks again at {@code retryAt}. */
    Transaction checkBackFailed(String error, long retryAt) {
        return new Transaction(xid, mode, name, status, timedOut, createdAt, retryAt, decidedAt, finishedAt, branches,
                message.checkFailed(error));
    }

    Transaction finishIfDone(long at) {
        if (!status.inPhaseTwo() || pendingBranches() > 0) {
            return this;
        }
        GlobalStatus end = status == GlobalStatus.COMMITTING ? GlobalStatus.COMMITTED : GlobalStatus.ROLLED_BACK;
        return new Transaction(xid, mode, name, end, timedOut, createdAt, timeoutAt, decidedAt, at, branches, message);
    }
}

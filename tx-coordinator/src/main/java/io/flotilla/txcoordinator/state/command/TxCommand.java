package io.flotilla.txcoordinator.state.command;

import io.flotilla.tx.api.TransactionMode;


import java.util.List;
import java.util.Objects;

/**
 * What the coordinator writes to its log. Every command carries {@code nowMillis}, the proposing node's wall
 * clock, because {@code apply} must not read one: timestamps and the timeout check come from the command, so
 * every node decides the same.
 */
public sealed interface TxCommand {

    long nowMillis();

    /** Opens a transaction; {@code xid} is chosen by the proposer (random, so ids never repeat across clusters). */
    record Begin(String xid, TransactionMode mode, String name, long timeoutMillis, long nowMillis) implements TxCommand {
        public Begin {
            Objects.requireNonNull(xid, "xid");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Adds a branch to an ACTIVE transaction that has not timed out; its id is the log index. {@code batchUrl} is the
     * participant's batch endpoint as announced, or {@code ""}.
     */
    record RegisterBranch(String xid, String resource, String confirmUrl, String cancelUrl, String batchUrl,
                          long nowMillis) implements TxCommand {
        public RegisterBranch {
            Objects.requireNonNull(xid, "xid");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(confirmUrl, "confirmUrl");
            Objects.requireNonNull(cancelUrl, "cancelUrl");
            Objects.requireNonNull(batchUrl, "batchUrl");
        }

        /** A branch whose participant announced no batch endpoint. */
        public RegisterBranch(String xid, String resource, String confirmUrl, String cancelUrl, long nowMillis) {
            this(xid, resource, confirmUrl, cancelUrl, "", nowMillis);
        }
    }

    /** Decides to commit, unless the transaction has timed out (then it rolls back) or was already decided. */
    record Commit(String xid, long nowMillis) implements TxCommand {
        public Commit {
            Objects.requireNonNull(xid, "xid");
        }
    }

    /** Decides to roll back an ACTIVE transaction; a no-op on one already rolling back. */
    record Rollback(String xid, long nowMillis) implements TxCommand {
        public Rollback {
            Objects.requireNonNull(xid, "xid");
        }
    }

    /** Proposed by the leader's sweeper: rolls back an ACTIVE transaction whose timeout has passed at {@code nowMillis}. */
    record TimeOut(String xid, long nowMillis) implements TxCommand {
        public TimeOut {
            Objects.requireNonNull(xid, "xid");
        }
    }

    /** The branch's participant answered 2xx to its phase-two call. */
    record BranchDone(String xid, long branchId, long nowMillis) implements TxCommand {
        public BranchDone {
            Objects.requireNonNull(xid, "xid");
        }
    }

    /** A phase-two call failed: counts the attempt and keeps the error, so a new leader backs off from there. */
    record BranchFailed(String xid, long branchId, String error, long nowMillis) implements TxCommand {
        public BranchFailed {
            Objects.requireNonNull(xid, "xid");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The outcomes of one batched phase-two call, in one log entry: each {@link Settled} is applied as the
     * {@link BranchDone} (error {@code ""}) or {@link BranchFailed} it stands for, on its own transaction; one that
     * is refused (its transaction gone, its branch already finished) does not stop the others.
     */
    record BranchesSettled(List<Settled> outcomes, long nowMillis) implements TxCommand {
        public BranchesSettled {
            outcomes = List.copyOf(outcomes);
        }
    }

    /** One branch's outcome in {@link BranchesSettled}: done when {@code error} is empty, else failed with it. */
    record Settled(String xid, long branchId, String error) {
        public Settled {
            Objects.requireNonNull(xid, "xid");
            Objects.requireNonNull(error, "error");
        }

        public boolean done() {
            return error.isEmpty();
        }
    }

    /** Forgets at most {@code max} finished transactions that finished before {@code finishedBeforeMillis}. */
    record Purge(long finishedBeforeMillis, int max, long nowMillis) implements TxCommand {
    }

    /**
     * Opens a two-phase message ({@code MSG}, ACTIVE) with its payload and the producer's check-back URL; its
     * targets are registered as branches after it. The producer is asked back {@code timeoutMillis} after this.
     */
    record PrepareMessage(String xid, String name, String checkUrl, String payload, long timeoutMillis, long nowMillis)
            implements TxCommand {
        public PrepareMessage {
            Objects.requireNonNull(xid, "xid");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(checkUrl, "checkUrl");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** A check-back of an ACTIVE message failed: counts it, keeps the error and asks again at {@code retryAtMillis}. */
    record CheckBackFailed(String xid, String error, long retryAtMillis, long nowMillis) implements TxCommand {
        public CheckBackFailed {
            Objects.requireNonNull(xid, "xid");
            Objects.requireNonNull(error, "error");
        }
    }
}

package io.flotilla.txcoordinator.state.command;

import io.flotilla.tx.api.GlobalStatus;


import java.util.Objects;

/** What applying a command answered. */
public sealed interface TxResult {

    /**
     * Applied at {@code index}: the transaction's status afterwards, the branch registered by
     * {@link TxCommand.RegisterBranch} (0 otherwise), the number of transactions a purge forgot (0 otherwise).
     * A commit or rollback of a transaction decided the other way is an {@code Ok} with that status: the log
     * answers what happened, the HTTP layer turns it into a conflict.
     */
    record Ok(long index, String xid, GlobalStatus status, long branchId, int purged) implements TxResult {
        public Ok {
            Objects.requireNonNull(xid, "xid");
        }
    }

    /** Not applied; nothing changed. {@code status} is the transaction's current status when there is one. */
    record Refused(Reason reason, String message, GlobalStatus status) implements TxResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    enum Reason {
        INVALID_INPUT, NOT_FOUND, CONFLICT
    }
}

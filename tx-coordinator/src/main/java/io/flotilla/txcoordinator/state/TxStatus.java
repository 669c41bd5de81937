package io.flotilla.txcoordinator.state;

/**
 * Where a global transaction is: ACTIVE → COMMITTING → COMMITTED, or ACTIVE → ROLLING_BACK → ROLLED_BACK.
 * The two middle states are decisions already in the log whose phase two is still running.
 */
public enum TxStatus {
    ACTIVE, COMMITTING, COMMITTED, ROLLING_BACK, ROLLED_BACK;

    /** Whether phase two is running: some branch is still to be confirmed or cancelled. */
    public boolean inPhaseTwo() {
        return this == COMMITTING || this == ROLLING_BACK;
    }

    /** Whether nothing more will happen to the transaction. */
    public boolean finished() {
        return this == COMMITTED || this == ROLLED_BACK;
    }

    /** Whether the decision, once taken, is to commit. */
    public boolean committed() {
        return this == COMMITTING || this == COMMITTED;
    }

    /** Whether the decision, once taken, is to roll back. */
    public boolean rolledBack() {
        return this == ROLLING_BACK || this == ROLLED_BACK;
    }
}

package io.flotilla.tx.api;

/**
 * Where a global transaction stands at the coordinator: {@code ACTIVE → COMMITTING → COMMITTED} or
 * {@code ACTIVE → ROLLING_BACK → ROLLED_BACK}. The two middle states are decisions already in the log whose phase
 * two is still running. The coordinator's log stores the ordinal: constants are only ever appended.
 */
public enum GlobalStatus {
    ACTIVE,
    COMMITTING,
    COMMITTED,
    ROLLING_BACK,
    ROLLED_BACK;

    /** Whether the coordinator has decided to commit (phase two may still be running). */
    public boolean isCommitDecided() {
        return this == COMMITTING || this == COMMITTED;
    }

    /** Whether the coordinator has decided to roll back (phase two may still be running). */
    public boolean isRollbackDecided() {
        return this == ROLLING_BACK || this == ROLLED_BACK;
    }

    /** Whether phase two is running: some branch is still to be confirmed or cancelled. */
    public boolean inPhaseTwo() {
        return this == COMMITTING || this == ROLLING_BACK;
    }

    /** Whether nothing more will happen to the transaction. */
    public boolean finished() {
        return this == COMMITTED || this == ROLLED_BACK;
    }
}

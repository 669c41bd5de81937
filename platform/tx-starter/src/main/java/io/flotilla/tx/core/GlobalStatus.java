package io.flotilla.tx.core;

/**
 * Where a global transaction stands at the coordinator: {@code ACTIVE → COMMITTING → COMMITTED} or
 * {@code ACTIVE → ROLLING_BACK → ROLLED_BACK}.
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
}

package io.flotilla.tx.api;

/**
 * A branch is {@code REGISTERED} until its participant acknowledged phase two: {@code COMMITTED} (confirmed) or
 * {@code ROLLED_BACK} (cancelled). The coordinator's log stores the ordinal: constants are only ever appended.
 */
public enum BranchStatus {
    REGISTERED,
    COMMITTED,
    ROLLED_BACK
}

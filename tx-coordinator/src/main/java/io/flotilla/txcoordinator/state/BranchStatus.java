package io.flotilla.txcoordinator.state;

/** A branch is REGISTERED until its participant acknowledged phase two: COMMITTED (confirmed) or ROLLED_BACK (cancelled). */
public enum BranchStatus {
    REGISTERED, COMMITTED, ROLLED_BACK
}

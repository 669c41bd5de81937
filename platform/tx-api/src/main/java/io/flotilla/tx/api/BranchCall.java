package io.flotilla.tx.api;

/**
 * Body of the coordinator's phase-two call to a branch's confirm / cancel (XA: commit / rollback) URL. The
 * participant answers any 2xx once the branch is done (or was already done); anything else makes the coordinator
 * call again later.
 */
public record BranchCall(String xid, long branchId) {
}

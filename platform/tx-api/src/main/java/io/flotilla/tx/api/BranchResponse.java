package io.flotilla.tx.api;

/** Answer to a branch registration (201): the branch's id, unique within the transaction. */
public record BranchResponse(long branchId) {
}

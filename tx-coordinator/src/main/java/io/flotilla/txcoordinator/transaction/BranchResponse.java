package io.flotilla.txcoordinator.transaction;

public record BranchResponse(long branchId) {
}

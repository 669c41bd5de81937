package io.flotilla.tx.web;

/** The coordinator's phase-two call: which branch of which global transaction. */
public record BranchCall(String xid, String branchId) {
}

package io.flotilla.tx.web;

/**
 * Answer to a phase-two call.
 *
 * @param outcome what happened: done, duplicate (already done), empty (no try / nothing prepared)
 */
public record BranchCallResult(String xid, long branchId, String outcome) {
}

package io.flotilla.txcoordinator.transaction;

/** A participant's branch: for TCC the confirm and cancel URLs, for XA the commit and rollback URLs. */
public record BranchRequest(String resource, String confirmUrl, String cancelUrl) {
}

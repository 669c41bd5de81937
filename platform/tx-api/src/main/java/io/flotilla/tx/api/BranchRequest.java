package io.flotilla.tx.api;

/**
 * Body of {@code POST /v1/transactions/{xid}/branches}: a participant's branch. For TCC the confirm and cancel
 * URLs, for XA the commit and rollback URLs; each is called with a {@link BranchCall}. Registering is not
 * idempotent: every call adds a branch.
 *
 * @param resource name of the participant's resource (for operators and metrics)
 * @param confirmUrl called when the transaction commits
 * @param cancelUrl called when the transaction rolls back
 */
public record BranchRequest(String resource, String confirmUrl, String cancelUrl) {
}

package io.flotilla.tx.api;

/**
 * Body of {@code POST /v1/transactions/{xid}/branches}: a participant's branch. For TCC the confirm and cancel
 * URLs, for XA the commit and rollback URLs; each is called with a {@link BranchCall}. Registering is not
 * idempotent: every call adds a branch.
 *
 * @param resource name of the participant's resource (for operators and metrics)
 * @param confirmUrl called when the transaction commits
 * @param cancelUrl called when the transaction rolls back
 * @param batchUrl where this participant takes several phase-two calls in one {@link BranchBatch}, or null when it
 *                 takes only single calls (a participant built before batches, or one that does not offer them):
 *                 the coordinator batches a branch only when its registration announced this
 */
public record BranchRequest(String resource, String confirmUrl, String cancelUrl, String batchUrl) {

    /** A branch whose participant takes single phase-two calls only. */
    public BranchRequest(String resource, String confirmUrl, String cancelUrl) {
        this(resource, confirmUrl, cancelUrl, null);
    }
}

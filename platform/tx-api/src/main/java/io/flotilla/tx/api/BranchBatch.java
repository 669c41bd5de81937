package io.flotilla.tx.api;

import java.util.List;

/**
 * Body of the coordinator's batched phase-two call to a participant's {@link BranchRequest#batchUrl()}: the calls
 * due for that participant at about the same time, each as it would have been sent alone. The participant runs each
 * as if it had arrived alone at {@code path} with the body {@link BranchCall}{@code (xid, branchId)} (concurrently, as
 * single calls would arrive), and answers a {@link BranchBatchResult} with one entry per call in the same order; a failure of one call
 * does not fail the others.
 */
public record BranchBatch(List<Call> calls) {

    /** Most calls in one batch: the coordinator sends the rest in the next one, a participant refuses more (400). */
    public static final int MAX_CALLS = 64;

    /**
     * One branch's call.
     *
     * @param path the raw path of the branch's registered confirm/cancel (commit/rollback) URL: which action, on
     *             which resource
     */
    public record Call(String path, String xid, long branchId) {
    }
}

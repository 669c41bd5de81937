package io.flotilla.tx.api;

import java.util.List;

/**
 * A participant's answer to a {@link BranchBatch} (200 when the batch itself was well-formed and signed): one
 * {@link Outcome} per call, in the order of the calls.
 */
public record BranchBatchResult(List<Outcome> outcomes) {

    /**
     * What the call would have been answered alone: {@code status} is that answer's HTTP status (2xx: the branch is
     * done, or was already; anything else: the coordinator calls it again later), {@code outcome} the 2xx answer's
     * {@code done}/{@code duplicate}/{@code empty}, {@code detail} why it failed otherwise ({@code ""} if it did not).
     */
    public record Outcome(String xid, long branchId, int status, String outcome, String detail) {
    }
}

package io.flotilla.tx.web;

import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.BranchBatchResult;
import io.flotilla.tx.api.BranchCall;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** How the batch endpoint runs its calls: each on its own, concurrently, answered in the order of the calls. */
class PhaseTwoBatchControllerTests {

    @Test
    void theCallsOfABatchRunConcurrentlyAndAreAnsweredInTheirOrder() {
        // Each confirm waits for the other two: run one after the other, the first would time out and answer 503.
        CyclicBarrier allThree = new CyclicBarrier(3);
        TccParticipantController tcc = new TccParticipantController(null) {
            @Override
            public BranchCallResult confirm(String resource, BranchCall call) {
                try {
                    allThree.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("not run concurrently", e);
                }
                return new BranchCallResult(call.xid(), call.branchId(), "done");
            }
        };
        PhaseTwoBatchController batches = new PhaseTwoBatchController(tcc, null);

        BranchBatchResult result = batches.batch(new BranchBatch(List.of(
                new BranchBatch.Call("/flotilla/tx/tcc/a/confirm", "tx-1", 1),
                new BranchBatch.Call("/flotilla/tx/tcc/b/confirm", "tx-2", 2),
                new BranchBatch.Call("/flotilla/tx/xa/c/commit", "tx-3", 3),
                new BranchBatch.Call("/flotilla/tx/tcc/c/confirm", "tx-4", 4))));

        assertThat(result.outcomes()).extracting(BranchBatchResult.Outcome::xid)
                .containsExactly("tx-1", "tx-2", "tx-3", "tx-4");
        assertThat(result.outcomes()).extracting(BranchBatchResult.Outcome::status)
                .containsExactly(200, 200, 404, 200);
    }
}

package io.flotilla.txcoordinator.transaction;

import io.flotilla.tx.api.GlobalStatus;

import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.TxChangeListener;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Callers waiting for a transaction to finish (commit or rollback with {@code wait}): completed from the state
 * machine's change notifications when the transaction reaches COMMITTED or ROLLED_BACK on this node.
 */
public final class OutcomeWaiters implements TxChangeListener {

    private final Map<String, Set<CompletableFuture<GlobalStatus>>> waiting = new ConcurrentHashMap<>();

    /** A future completed with the final status; call {@link #forget} if you stop waiting. */
    public CompletableFuture<GlobalStatus> register(String xid) {
        CompletableFuture<GlobalStatus> outcome = new CompletableFuture<>();
        waiting.computeIfAbsent(xid, key -> ConcurrentHashMap.newKeySet()).add(outcome);
        return outcome;
    }

    public void forget(String xid, CompletableFuture<GlobalStatus> outcome) {
        waiting.computeIfPresent(xid, (key, futures) -> {
            futures.remove(outcome);
            return futures.isEmpty() ? null : futures;
        });
    }

    @Override
    public void changed(long index, Transaction transaction) {
        if (transaction.status().finished()) {
            Set<CompletableFuture<GlobalStatus>> futures = waiting.remove(transaction.xid());
            if (futures != null) {
                futures.forEach(future -> future.complete(transaction.status()));
            }
        }
    }

    @Override
    public void stateReplaced() {
        // A waiter re-reads the state itself when its wait runs out; nothing to do here.
    }
}

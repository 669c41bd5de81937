package io.flotilla.registryservice.store;

import io.flotilla.registryservice.state.RegistryChangeListener;
import io.flotilla.registryservice.state.command.RegistryQuery;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Wakes blocking queries. A waiter is registered before its read, so a change applied between the read and the
 * wait still wakes it; a woken waiter re-reads and decides by the answer's index, so waking too often is
 * harmless. KV waiters wake on any key change because a KV read's index includes the last deletion anywhere.
 */
public final class ChangeNotifier implements RegistryChangeListener {

    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    /** Completes at the next change that may move {@code query}'s answer. */
    public CompletableFuture<Void> nextChange(RegistryQuery query) {
        Waiter waiter = new Waiter(query, new CompletableFuture<>());
        waiters.add(waiter);
        waiter.signal.whenComplete((done, failure) -> waiters.remove(waiter));
        return waiter.signal;
    }

    public int waiting() {
        return waiters.size();
    }

    @Override
    public void serviceChanged(long index, String service) {
        for (Waiter waiter : waiters) {
            if (waiter.query instanceof RegistryQuery.ListServices
                    || waiter.query instanceof RegistryQuery.GetInstances q && q.service().equals(service)) {
                waiter.signal.complete(null);
            }
        }
    }

    @Override
    public void keyChanged(long index, String key) {
        for (Waiter waiter : waiters) {
            if (waiter.query instanceof RegistryQuery.KvGet || waiter.query instanceof RegistryQuery.KvGetPrefix) {
                waiter.signal.complete(null);
            }
        }
    }

    @Override
    public void stateReplaced(long lastChangeIndex) {
        waiters.forEach(waiter -> waiter.signal.complete(null));
    }

    private record Waiter(RegistryQuery query, CompletableFuture<Void> signal) {
    }
}

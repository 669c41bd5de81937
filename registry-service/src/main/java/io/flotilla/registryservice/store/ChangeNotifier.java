package io.flotilla.registryservice.store;

import io.flotilla.registryservice.state.RegistryChangeListener;
import io.flotilla.registryservice.state.command.RegistryQuery;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Wakes blocking queries. A waiter is registered before its read, so a change applied between the read and the
 * wait still wakes it; a woken waiter re-reads and decides by the answer's index, so waking too often is
 * harmless. A KV waiter wakes only when a key its query covers changes: the one key, or a key under the prefix.
 * Waking every KV waiter on every write (as before) made each release of a contended lock answer every queued
 * contender's watch, a herd on the server and the client that the predecessor watch is there to avoid.
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
            boolean covered = switch (waiter.query) {
                case RegistryQuery.KvGet q -> q.key().equals(key);
                case RegistryQuery.KvGetPrefix q -> key.startsWith(q.prefix());
                default -> false;
            };
            if (covered) {
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

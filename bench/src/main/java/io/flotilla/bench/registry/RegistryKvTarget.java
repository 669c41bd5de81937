package io.flotilla.bench.registry;

import io.flotilla.bench.raft.KvTarget;
import io.flotilla.registry.client.RegistryClient;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The registry's KV through the starter's own {@link RegistryClient} ({@code PUT /v1/kv/<key>}, body = value), as an
 * application calls it: a blocking call in the caller's thread, one thread per closed-loop client.
 */
final class RegistryKvTarget implements KvTarget {

    private final RegistryClient client;

    private final ExecutorService callers;

    RegistryKvTarget(RegistryClient client, int clients) {
        this.client = client;
        this.callers = Executors.newFixedThreadPool(clients, runnable -> {
            Thread thread = new Thread(runnable, "registry-client-caller");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String name() {
        return "registry-kv";
    }

    @Override
    public CompletableFuture<?> put(String key, byte[] value) {
        return CompletableFuture.runAsync(() -> client.put(key, value, RegistryClient.ANY_VERSION,
                RegistryClient.NO_LEASE), callers);
    }

    @Override
    public void close() {
        callers.shutdownNow();
    }
}

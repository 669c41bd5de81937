package io.flotilla.bench.registry;

import io.flotilla.bench.raft.KvTarget;

import java.util.concurrent.CompletableFuture;

/** The registry's KV over HTTP ({@code PUT /v1/kv/<key>}, body = value), sent to one node. */
final class RegistryKvTarget implements KvTarget {

    private final RegistryHttp http;

    RegistryKvTarget(RegistryHttp http) {
        this.http = http;
    }

    @Override
    public String name() {
        return "registry-kv";
    }

    @Override
    public CompletableFuture<?> put(String key, byte[] value) {
        return http.send("PUT", "/v1/kv/" + key, null, value);
    }

    @Override
    public void close() {
    }
}

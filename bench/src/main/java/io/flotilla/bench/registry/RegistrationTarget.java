package io.flotilla.bench.registry;

import io.flotilla.bench.raft.KvTarget;

import java.util.concurrent.CompletableFuture;

/**
 * Registrations as "puts" for the closed-loop driver: each put registers a new instance (the driver's key names
 * it), which grants a lease and registers the instance on it: two log writes.
 */
final class RegistrationTarget implements KvTarget {

    private final RegistryHttp http;
    private final String run;

    RegistrationTarget(RegistryHttp http, String run) {
        this.http = http;
        this.run = run;
    }

    @Override
    public String name() {
        return "registration";
    }

    @Override
    public CompletableFuture<?> put(String key, byte[] value) {
        String instanceId = run + "-" + key.replace('/', '-');
        return http.send("POST", "/v1/services/bench-" + run + "/instances", "{\"instanceId\":\"" + instanceId
                + "\",\"host\":\"10.0.0.1\",\"port\":8080,\"ttlSeconds\":600}", null);
    }

    @Override
    public void close() {
    }
}

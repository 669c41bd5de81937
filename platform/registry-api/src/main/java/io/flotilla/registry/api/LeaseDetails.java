package io.flotilla.registry.api;

import java.util.List;

/**
 * Answer to {@code GET /v1/leases/{id}}: what the lease holds and, on the leader, how long it has left
 * ({@code remainingMillis} is null elsewhere). {@code instances} are {@code service/instanceId} pairs.
 */
public record LeaseDetails(long leaseId, long ttlSeconds, Long remainingMillis, List<String> keys,
        List<String> instances) {

    public LeaseDetails {
        keys = List.copyOf(keys);
        instances = List.copyOf(instances);
    }
}

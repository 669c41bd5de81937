package io.flotilla.registry.api;

/** Answer to granting a lease (201) or keeping it alive (200): its id and TTL. */
public record LeaseResponse(long leaseId, long ttlSeconds) {
}

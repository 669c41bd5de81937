package io.flotilla.registry.api;

/** Body of {@code POST /v1/leases}: {@code ttlSeconds} is required, 1 to the registry's maximum TTL. */
public record LeaseGrantRequest(Long ttlSeconds) {
}

package io.flotilla.registry.api;

import java.util.Map;

/**
 * Body of {@code POST /v1/services/{service}/instances}. Only {@code host} and {@code port} are required; the
 * registry fills in the rest: {@code instanceId} defaults to {@code host-port}, {@code ttlSeconds} to the
 * registry's default TTL, {@code weight} to 1, {@code secure} to false. Registering an existing id again updates
 * that instance, so the request may be repeated.
 */
public record RegistrationRequest(String instanceId, String host, Integer port, Boolean secure,
        Map<String, String> metadata, String zone, Integer weight, Long ttlSeconds) {
}

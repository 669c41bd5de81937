package io.flotilla.registryservice.instances;

import java.util.Map;

/**
 * Body of {@code POST /v1/services/{service}/instances}. Only host and port are required; unknown fields are
 * ignored. {@code instanceId} defaults to {@code host-port}; {@code ttlSeconds} to
 * {@code flotilla.registry.server.default-ttl}; {@code weight} to 1.
 */
public record RegistrationRequest(String instanceId, String host, Integer port, Boolean secure,
                                  Map<String, String> metadata, String zone, Integer weight, Long ttlSeconds) {
}

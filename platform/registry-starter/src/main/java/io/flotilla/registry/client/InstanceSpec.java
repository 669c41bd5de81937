package io.flotilla.registry.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What an instance registers: the registry keeps it while heartbeats arrive within {@code ttl}.
 *
 * @param instanceId unique per service ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}); {@code null} lets the registry
 *        choose one. Registering an existing id again updates that instance.
 * @param host host name or address others call
 * @param port port others call, 1..65535
 * @param secure whether others call it over TLS
 * @param metadata free-form metadata ({@code status}, {@code version}, {@code healthCheckUrl}, ...)
 * @param zone zone, or empty
 * @param weight load-balancing weight, 0..10000
 * @param ttl how long the registry keeps the instance without a heartbeat; whole seconds, at least one
 */
public record InstanceSpec(String instanceId, String host, int port, boolean secure, Map<String, String> metadata,
        String zone, int weight, Duration ttl) {

    public InstanceSpec {
        Objects.requireNonNull(host, "host");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        zone = zone == null ? "" : zone;
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("ttl must be at least one second, was " + ttl);
        }
    }
}

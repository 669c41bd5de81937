package io.flotilla.registry.client;

import java.util.Map;

/**
 * An instance as the registry lists it.
 *
 * @param service service name
 * @param instanceId instance id, unique within the service
 * @param host host others call
 * @param port port others call
 * @param secure whether it is called over TLS
 * @param metadata metadata as registered
 * @param zone zone, or empty
 * @param weight load-balancing weight
 * @param status status the registry reports ({@code UP} unless a health check or the instance says otherwise)
 * @param leaseId the lease keeping it registered, 0 if none
 * @param modIndex index of its last registration
 */
public record RegistryInstance(String service, String instanceId, String host, int port, boolean secure,
        Map<String, String> metadata, String zone, int weight, String status, long leaseId, long modIndex) {

    public RegistryInstance {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        zone = zone == null ? "" : zone;
    }
}

package io.flotilla.registry.api;

import java.util.Map;
import java.util.Objects;

/**
 * One instance in {@code GET /v1/services/{service}/instances}.
 *
 * @param service service name
 * @param instanceId instance id, unique within the service
 * @param host host others call
 * @param port port others call
 * @param secure whether it is called over TLS
 * @param metadata metadata as registered
 * @param zone zone, or empty
 * @param weight load-balancing weight
 * @param leaseId the lease keeping it registered, 0 if none
 * @param status {@code UP}, or {@code DOWN} when its {@code metadata.healthCheckUrl} check fails on the answering
 *        node
 * @param createIndex log index of its first registration
 * @param modIndex log index of its latest registration
 */
public record InstanceView(String service, String instanceId, String host, int port, boolean secure,
        Map<String, String> metadata, String zone, int weight, long leaseId, String status, long createIndex,
        long modIndex) {

    public InstanceView {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(status, "status");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        zone = zone == null ? "" : zone;
    }
}

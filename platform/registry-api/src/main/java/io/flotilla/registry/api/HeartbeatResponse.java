package io.flotilla.registry.api;

import java.util.Objects;

/**
 * Answer to {@code PUT .../heartbeat}: the lease that was renewed and its TTL; the next heartbeat is due well
 * within it.
 */
public record HeartbeatResponse(String instanceId, long leaseId, long ttlSeconds) {

    public HeartbeatResponse {
        Objects.requireNonNull(instanceId, "instanceId");
    }
}

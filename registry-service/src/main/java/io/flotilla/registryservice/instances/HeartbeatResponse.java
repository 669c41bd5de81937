package io.flotilla.registryservice.instances;

/** The lease that was renewed and its TTL: the next heartbeat is due well within {@code ttlSeconds}. */
public record HeartbeatResponse(String instanceId, long leaseId, long ttlSeconds) {
}

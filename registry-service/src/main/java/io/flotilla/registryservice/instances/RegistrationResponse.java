package io.flotilla.registryservice.instances;

/** {@code leaseId} is the lease the instance lives on (keep it alive with heartbeats); {@code index} the write's log index. */
public record RegistrationResponse(String instanceId, long leaseId, long index) {
}

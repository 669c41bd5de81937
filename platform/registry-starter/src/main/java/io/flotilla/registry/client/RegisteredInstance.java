package io.flotilla.registry.client;

/**
 * Answer to a registration.
 *
 * @param instanceId the instance's id (the registry's choice when none was given)
 * @param leaseId the lease that heartbeats keep alive; its expiry removes the instance
 */
public record RegisteredInstance(String instanceId, long leaseId) {
}

package io.flotilla.registry.api;

import java.util.Objects;

/**
 * Answer to a registration (201).
 *
 * @param instanceId the instance's id (the registry's choice when none was given)
 * @param leaseId the lease that heartbeats keep alive; its expiry removes the instance
 * @param index the log index of the registration
 */
public record RegistrationResponse(String instanceId, long leaseId, long index) {

    public RegistrationResponse {
        Objects.requireNonNull(instanceId, "instanceId");
    }
}

package io.flotilla.registryservice.state;

import java.util.List;

/**
 * A lease: its id is the log index of the command that granted it. {@code instances} are
 * {@code service/instanceId} pairs. The TTL is kept here only to be handed to the leader's timers; the
 * state machine never reads a clock.
 */
public record LeaseView(long leaseId, long ttlMillis, List<String> keys, List<String> instances) {

    public LeaseView {
        keys = List.copyOf(keys);
        instances = List.copyOf(instances);
    }
}

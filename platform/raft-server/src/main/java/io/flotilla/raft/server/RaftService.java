package io.flotilla.raft.server;

import io.flotilla.raft.StateMachine;

import java.util.Objects;

/**
 * What a Raft-backed service hands the kit: its name, the prefix of its server-side properties and its state
 * machine. Declare one as a bean beside a {@code @ConfigurationProperties(propertyPrefix) RaftServerProperties}
 * bean, and the kit's auto-configuration builds the rest (node, cluster endpoints, forwarding, token, health).
 *
 * @param name           names the default data directory {@code data/<name>/<node-id>} and the token realm
 * @param propertyPrefix e.g. {@code flotilla.registry.server}; start-up errors name properties under it
 * @param stateMachine   the service's deterministic state machine
 */
public record RaftService(String name, String propertyPrefix, StateMachine stateMachine) {

    public RaftService {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(propertyPrefix, "propertyPrefix");
        Objects.requireNonNull(stateMachine, "stateMachine");
    }
}

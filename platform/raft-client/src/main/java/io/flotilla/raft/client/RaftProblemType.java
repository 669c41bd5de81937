package io.flotilla.raft.client;

import java.util.Optional;

/**
 * The RFC 9457 problem {@code type}s a Raft-backed service (registry, coordinator) answers with when the cluster,
 * not the request, is the reason a request failed. Each is a 503 with {@code Retry-After} and, for a write, an
 * {@value #OUTCOME_PROPERTY} member ({@link WriteOutcome}). Clients decide on the type and the outcome, never on
 * the English detail.
 */
public enum RaftProblemType implements ProblemType {

    /** No leader is known (an election is in progress); the request was not submitted. */
    NO_LEADER("no-leader"),

    /** This node lost leadership while the request was in flight. */
    NOT_LEADER("not-leader"),

    /** The cluster did not answer in time (no quorum, or this node is behind). */
    TIMEOUT("timeout"),

    /** This node has stopped itself after a fault (fail-stop) and must be restarted. */
    NODE_STOPPED("node-stopped"),

    /** The leader could not be reached from the node the client called. */
    LEADER_UNREACHABLE("leader-unreachable"),

    /** The node is still starting: it does not yet know a leader's address or has not caught up. */
    NOT_READY("not-ready");

    /** Name of the problem member that carries the {@link WriteOutcome}. */
    public static final String OUTCOME_PROPERTY = "outcome";

    private final String slug;

    RaftProblemType(String slug) {
        this.slug = slug;
    }

    @Override
    public String slug() {
        return slug;
    }

    /** The type whose {@link #uri()} is {@code type}, if it is one of these. */
    public static Optional<RaftProblemType> fromUri(String type) {
        return ProblemType.fromUri(RaftProblemType.class, type);
    }
}

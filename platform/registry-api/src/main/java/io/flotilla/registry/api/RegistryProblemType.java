package io.flotilla.registry.api;

import io.flotilla.raft.client.ProblemType;

import java.util.Optional;

/**
 * The RFC 9457 problem {@code type}s the registry answers a refused request with. A failure of the cluster rather
 * than of the request is a 503 with one of {@link io.flotilla.raft.client.RaftProblemType}'s types instead.
 */
public enum RegistryProblemType implements ProblemType {

    /** 400: the request is malformed or out of range; nothing was written. */
    INVALID_REQUEST("registry:invalid-request"),

    /** 404: no such instance, key or lease (the answer still carries {@code X-Flotilla-Index}). */
    NOT_FOUND("registry:not-found"),

    /** 404: the lease a write names does not exist (expired or revoked). */
    UNKNOWN_LEASE("registry:unknown-lease"),

    /** 409: a {@code ?cas=} condition did not hold. */
    VERSION_MISMATCH("registry:version-mismatch");

    private final String slug;

    RegistryProblemType(String slug) {
        this.slug = slug;
    }

    @Override
    public String slug() {
        return slug;
    }

    /** The type whose {@link #uri()} is {@code type}, if it is one of these. */
    public static Optional<RegistryProblemType> fromUri(String type) {
        return ProblemType.fromUri(RegistryProblemType.class, type);
    }
}

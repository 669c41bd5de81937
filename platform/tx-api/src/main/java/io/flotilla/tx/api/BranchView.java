package io.flotilla.tx.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A branch as {@code GET /v1/transactions/{xid}} shows it. {@code attempts} counts failed phase-two calls;
 * {@code flagged} says it has failed often enough to alert an operator and is still pending. {@code lastError} and
 * the times are null until they happen; {@code batchUrl} is null when the participant announced no batch endpoint.
 */
public record BranchView(long branchId, String resource, String confirmUrl, String cancelUrl, String batchUrl,
        BranchStatus status, int attempts, String lastError, boolean flagged, Instant registeredAt,
        Instant lastAttemptAt, Instant finishedAt) {

    public BranchView {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(status, "status");
    }
}

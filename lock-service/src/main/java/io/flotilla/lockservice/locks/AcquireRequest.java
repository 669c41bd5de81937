package io.flotilla.lockservice.locks;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code POST /v1/locks/{name}}.
 *
 * @param owner who will hold the lock; releases and renewals must name the same owner
 * @param leaseMs how long the lock is held unless renewed, 1..3600000
 * @param waitMs how long to wait while someone else holds it, 0..60000 (0 or absent: do not wait)
 */
public record AcquireRequest(@Schema(example = "worker-7f3a") String owner, @Schema(example = "30000") Long leaseMs,
        @Schema(example = "5000") Long waitMs) {
}

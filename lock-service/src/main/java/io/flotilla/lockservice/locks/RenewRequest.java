package io.flotilla.lockservice.locks;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code PUT /v1/locks/{name}/lease}.
 *
 * @param owner the holder
 * @param leaseMs the new lease, counted from now, 1..3600000
 */
public record RenewRequest(@Schema(example = "worker-7f3a") String owner, @Schema(example = "30000") Long leaseMs) {
}

package io.flotilla.tx.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Answer to {@code POST /v1/transactions} (201).
 *
 * @param xid global transaction id, carried by every branch
 * @param status {@code ACTIVE}
 * @param timeoutAt instant after which the coordinator rolls it back
 */
public record BeginResponse(String xid, GlobalStatus status, Instant timeoutAt) {

    public BeginResponse {
        Objects.requireNonNull(xid, "xid");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timeoutAt, "timeoutAt");
    }
}

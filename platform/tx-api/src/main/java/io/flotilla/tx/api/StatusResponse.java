package io.flotilla.tx.api;

import java.util.Objects;

/** Answer to {@code POST .../commit} and {@code .../rollback}: the transaction's status after the decision. */
public record StatusResponse(String xid, GlobalStatus status) {

    public StatusResponse {
        Objects.requireNonNull(xid, "xid");
        Objects.requireNonNull(status, "status");
    }
}

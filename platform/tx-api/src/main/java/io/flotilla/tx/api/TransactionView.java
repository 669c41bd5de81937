package io.flotilla.tx.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A transaction as {@code GET /v1/transactions/{xid}} shows it. {@code name} is null when none was given;
 * {@code timedOut}: the rollback was forced by the time-out; {@code decidedAt}: when it left {@code ACTIVE};
 * {@code finishedAt}: when phase two ended (null until then).
 */
public record TransactionView(String xid, TransactionMode mode, String name, GlobalStatus status, boolean timedOut,
        Instant createdAt, Instant timeoutAt, Instant decidedAt, Instant finishedAt, List<BranchView> branches) {

    public TransactionView {
        Objects.requireNonNull(xid, "xid");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(status, "status");
        branches = List.copyOf(Objects.requireNonNull(branches, "branches"));
    }
}

package io.flotilla.txcoordinator.state;

import io.flotilla.tx.api.BranchStatus;

import java.util.Objects;

/**
 * One participant's part of a global transaction. {@code confirmUrl}/{@code cancelUrl} are the TCC confirm and
 * cancel endpoints, or the XA commit and rollback endpoints. {@code attempts} counts failed phase-two calls
 * (a success ends the branch), {@code lastError} says why the last one failed ("" if none). Times are epoch
 * milliseconds stamped by the node that proposed the change; 0 means "not yet". {@code batchUrl} is where the
 * participant takes this branch's phase two inside a batch, as its registration announced, or {@code ""} when it
 * announced none (single calls only).
 */
public record Branch(long branchId, String resource, String confirmUrl, String cancelUrl, String batchUrl,
                     BranchStatus status, int attempts, String lastError, long registeredAt, long lastAttemptAt,
                     long finishedAt) {

    public Branch {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(confirmUrl, "confirmUrl");
        Objects.requireNonNull(cancelUrl, "cancelUrl");
        Objects.requireNonNull(batchUrl, "batchUrl");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastError, "lastError");
    }

    /** A branch whose participant announced no batch endpoint. */
    public Branch(long branchId, String resource, String confirmUrl, String cancelUrl, BranchStatus status,
                  int attempts, String lastError, long registeredAt, long lastAttemptAt, long finishedAt) {
        this(branchId, resource, confirmUrl, cancelUrl, "", status, attempts, lastError, registeredAt, lastAttemptAt,
                finishedAt);
    }

    /** Whether its phase-two call may go in a batch to {@link #batchUrl()}. */
    public boolean batched() {
        return !batchUrl.isEmpty();
    }

    public boolean pending() {
        return status == BranchStatus.REGISTERED;
    }

    Branch failed(String error, long at) {
        return new Branch(branchId, resource, confirmUrl, cancelUrl, batchUrl, status, attempts + 1, error,
                registeredAt, at, finishedAt);
    }

    Branch done(BranchStatus outcome, long at) {
        return new Branch(branchId, resource, confirmUrl, cancelUrl, batchUrl, outcome, attempts, lastError,
                registeredAt, at, at);
    }
}

package io.flotilla.txcoordinator.transaction;

import io.flotilla.txcoordinator.state.Branch;
import io.flotilla.txcoordinator.state.BranchStatus;

import java.time.Instant;

/**
 * A branch as the API shows it. {@code attempts} counts failed phase-two calls; {@code flagged} says it has failed
 * at least flotilla.coordinator.phase-two.alert-after-attempts times and is still pending. Times are null until they happen.
 */
public record BranchView(long branchId, String resource, String confirmUrl, String cancelUrl, BranchStatus status,
                         int attempts, String lastError, boolean flagged, Instant registeredAt, Instant lastAttemptAt,
                         Instant finishedAt) {

    static BranchView of(Branch branch, boolean flagged) {
        return new BranchView(branch.branchId(), branch.resource(), branch.confirmUrl(), branch.cancelUrl(),
                branch.status(), branch.attempts(), branch.lastError().isEmpty() ? null : branch.lastError(), flagged,
                TransactionView.instant(branch.registeredAt()), TransactionView.instant(branch.lastAttemptAt()),
                TransactionView.instant(branch.finishedAt()));
    }
}

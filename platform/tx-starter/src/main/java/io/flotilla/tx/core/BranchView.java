package io.flotilla.tx.core;

/**
 * One branch of a global transaction as the coordinator reports it.
 *
 * @param attempts  phase-two calls made so far
 * @param lastError last phase-two failure, or {@code null}
 */
public record BranchView(String branchId, String resource, String status, int attempts, String lastError) {
}

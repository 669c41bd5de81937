package io.flotilla.tx.api;

/**
 * The producer's answer to a check-back: {@code COMMITTED} (its local transaction committed: deliver) or
 * {@code ROLLED_BACK} (it rolled back, or never ran and now never can: drop the message). Any other answer, status
 * or failure makes the coordinator ask again later.
 */
public record MessageCheckResult(String xid, GlobalStatus status) {
}

package io.flotilla.tx.api;

/**
 * Body of {@code POST /v1/transactions}. {@code mode} is {@code TCC} or {@code XA} (a string, so that a wrong one
 * gets a 400 naming it); {@code timeoutMs} defaults to the coordinator's default time-out; {@code name} is
 * optional.
 */
public record BeginRequest(String mode, Long timeoutMs, String name) {
}

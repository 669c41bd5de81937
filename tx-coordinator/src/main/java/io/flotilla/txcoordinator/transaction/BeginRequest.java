package io.flotilla.txcoordinator.transaction;

/** {@code mode} is TCC or XA; {@code timeoutMs} defaults to flotilla.coordinator.default-timeout; {@code name} is optional. */
public record BeginRequest(String mode, Long timeoutMs, String name) {
}

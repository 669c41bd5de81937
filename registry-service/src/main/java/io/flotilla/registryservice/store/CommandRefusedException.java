package io.flotilla.registryservice.store;

import io.flotilla.registryservice.state.command.RegistryResult;

/** The state machine refused a command (CAS mismatch, unknown lease, nothing to delete); nothing changed. */
public class CommandRefusedException extends RuntimeException {

    private final RegistryResult.Reason reason;

    public CommandRefusedException(RegistryResult.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RegistryResult.Reason reason() {
        return reason;
    }
}

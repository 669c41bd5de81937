package io.flotilla.lockservice.locks;

/** A request that breaks a rule on names, owners, leases or waits; nothing was changed. */
public class InvalidLockRequestException extends RuntimeException {

    public InvalidLockRequestException(String message) {
        super(message);
    }
}

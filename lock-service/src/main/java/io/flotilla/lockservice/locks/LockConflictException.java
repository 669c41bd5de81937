package io.flotilla.lockservice.locks;

/** The lock is held by someone else, or the owner named does not hold it. */
public class LockConflictException extends RuntimeException {

    public LockConflictException(String message) {
        super(message);
    }
}

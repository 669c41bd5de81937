package io.flotilla.lock.core;

/** The lock store could not be reached or answered with an error; the operation's outcome is as documented. */
public class LockBackendException extends RuntimeException {

    public LockBackendException(String message, Throwable cause) {
        super(message, cause);
    }

    public LockBackendException(String message) {
        super(message);
    }
}

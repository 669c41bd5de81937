package io.flotilla.tx.core;

/** The coordinator could not be reached, or answered with something this client does not understand. */
public class CoordinatorException extends RuntimeException {

    public CoordinatorException(String message) {
        super(message);
    }

    public CoordinatorException(String message, Throwable cause) {
        super(message, cause);
    }
}

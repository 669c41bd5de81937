package io.flotilla.id.core;

/** The generator cannot issue an id right now; nothing was issued by the failed call. */
public class IdGenerationException extends RuntimeException {

    /**
     * @param message why no id was issued
     */
    public IdGenerationException(String message) {
        super(message);
    }

    /**
     * @param message why no id was issued
     * @param cause underlying failure
     */
    public IdGenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}

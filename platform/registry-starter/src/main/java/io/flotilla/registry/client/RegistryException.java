package io.flotilla.registry.client;

/** The registry refused a request or answered something this client does not understand. */
public class RegistryException extends RuntimeException {

    private final int status;

    /**
     * @param message what went wrong, including the registry's problem detail when it sent one
     * @param status HTTP status, 0 when there was no answer
     */
    public RegistryException(String message, int status) {
        super(message);
        this.status = status;
    }

    /**
     * @param message what went wrong
     * @param status HTTP status, 0 when there was no answer
     * @param cause the underlying failure
     */
    public RegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return HTTP status of the answer, 0 when there was none */
    public int status() {
        return this.status;
    }
}

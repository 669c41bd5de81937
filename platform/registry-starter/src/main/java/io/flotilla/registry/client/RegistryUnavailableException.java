package io.flotilla.registry.client;

/**
 * No configured registry node completed the request within the fail-over timeout, or a request that must not be
 * repeated failed after it may have reached the registry (its outcome is then unknown, see {@link #outcomeUnknown()}).
 */
public class RegistryUnavailableException extends RegistryException {

    private final boolean outcomeUnknown;

    /**
     * @param message what was tried
     * @param outcomeUnknown whether the request may have taken effect
     * @param cause the last failure
     */
    public RegistryUnavailableException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, 0, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** @return whether the request may have been applied even though no answer came back */
    public boolean outcomeUnknown() {
        return this.outcomeUnknown;
    }
}

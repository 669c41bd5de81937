package io.flotilla.tx.core;

/**
 * No coordinator node completed a request within the fail-over time-out, or a request that must not run twice
 * (begin, branch registration) failed after it may have reached the coordinator: see {@link #outcomeUnknown()}.
 */
public class CoordinatorUnreachableException extends CoordinatorException {

    private final boolean outcomeUnknown;

    public CoordinatorUnreachableException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * Whether the request may have taken effect although no answer came back. For a branch registration the
     * branch may then exist at the coordinator: do not run the branch's try, fail the global transaction instead,
     * so that its rollback cancels the branch if it was registered (an empty rollback for the participant).
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}

package io.flotilla.raft.client;

/**
 * No node completed a request: every node failed within the fail-over timeout, or a request that must not run
 * twice failed after it may have been applied. {@link #outcome()} says which: {@link WriteOutcome#UNKNOWN} means
 * the request may have taken effect and must not be blindly repeated (read first); {@link WriteOutcome#NOT_APPLIED}
 * that no node applied it.
 */
public class ClusterUnavailableException extends RuntimeException {

    private final WriteOutcome outcome;

    public ClusterUnavailableException(String message, WriteOutcome outcome, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    /** Whether the request may have been applied ({@link WriteOutcome#UNKNOWN}) or provably was not. */
    public WriteOutcome outcome() {
        return outcome;
    }
}

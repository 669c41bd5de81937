package io.flotilla.txcoordinator.transaction;

/** The log cannot take or answer the request here right now (no leader, not the leader, a slow quorum): 503. */
public class CoordinatorUnavailableException extends RuntimeException {

    private final String leaderId;

    public CoordinatorUnavailableException(String message, String leaderId, Throwable cause) {
        super(message, cause);
        this.leaderId = leaderId;
    }

    /** The node believed to lead, or null when none is known. */
    public String leaderId() {
        return leaderId;
    }
}

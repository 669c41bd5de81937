package io.flotilla.txcoordinator.transaction;

/** The log could not take or answer the request (no leader, lost leadership, timeout): a 503 with Retry-After. */
public class CoordinatorUnavailableException extends RuntimeException {

    public CoordinatorUnavailableException(Throwable cause) {
        super(cause.toString(), cause);
    }
}

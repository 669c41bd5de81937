package io.flotilla.raft;

/** Base of the failures a {@link RaftNode} reports through its futures. */
public class RaftException extends RuntimeException {

    public RaftException(String message, Throwable cause) {
        super(message, cause);
    }

    public RaftException(String message) {
        super(message);
    }
}

package io.flotilla.raft.codec;

/** Bytes that do not decode as a command, query, result or snapshot of a known version. */
public final class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message);
    }
}

package io.flotilla.raft;

import java.util.Objects;

/**
 * A command tagged with its client session. A node applies each {@code (clientId, sequence)} at most once
 * and replays the cached result when the same pair is retried, so a client that timed out may resend
 * safely. A client numbers its requests 1, 2, 3, ... and sends the next one only after the previous one
 * answered or was given up.
 */
public record ClientRequest(String clientId, long sequence, byte[] command) {

    public ClientRequest {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(command, "command");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, got " + sequence);
        }
    }
}

package io.flotilla.txcoordinator.state;

import java.util.Objects;

/**
 * What a two-phase message ({@code MSG} transaction) carries besides its targets (its branches): the payload
 * delivered to every target, the producer's check-back URL, and how the check-backs went so far
 * ({@code checkAttempts} failed ones, the last {@code lastCheckError}, "" if none), so a new leader backs off from
 * there.
 */
public record Message(String checkUrl, String payload, int checkAttempts, String lastCheckError) {

    public Message {
        Objects.requireNonNull(checkUrl, "checkUrl");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(lastCheckError, "lastCheckError");
    }

    Message checkFailed(String error) {
        return new Message(checkUrl, payload, checkAttempts + 1, error);
    }
}

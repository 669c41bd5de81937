package io.flotilla.tx.message;

import tools.jackson.databind.json.JsonMapper;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Collection;
import java.util.List;

/**
 * Sends a message if and only if the caller's local transaction commits ("do B after A committed"). Call it inside
 * a {@code @Transactional} method: the message joins that transaction (a barrier row, or an outbox row in outbox
 * mode) and is delivered at least once to every target after the commit, never after a rollback. Targets are the
 * receivers' URLs ({@link MessageTargets#receiver}); the payload is written as JSON.
 */
public final class TransactionalMessages {

    private final MessagePublisher publisher;
    private final JsonMapper json;

    public TransactionalMessages(MessagePublisher publisher, JsonMapper json) {
        this.publisher = publisher;
        this.json = json;
    }

    /** Sends {@code payload} to {@code target}; returns the message id (the coordinator's xid, or the outbox id). */
    public String send(String target, Object payload) {
        return send(List.of(target), payload);
    }

    /** Sends {@code payload} to every target; returns the message id. */
    public String send(Collection<String> targets, Object payload) {
        return send("", targets, payload);
    }

    /** Sends a message named {@code name} (shown by the coordinator, handed to receivers) to every target. */
    public String send(String name, Collection<String> targets, Object payload) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("TransactionalMessages.send must run inside a transaction "
                    + "(a @Transactional method): the message is sent only if that transaction commits");
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one target");
        }
        String text = payload instanceof RawJson raw ? raw.json() : json.writeValueAsString(payload);
        return publisher.publish(name == null ? "" : name, List.copyOf(targets), text);
    }

    /** A payload that already is JSON text, sent as is. */
    public record RawJson(String json) {
    }
}

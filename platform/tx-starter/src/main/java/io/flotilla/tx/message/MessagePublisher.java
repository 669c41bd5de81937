package io.flotilla.tx.message;

import java.util.List;

/**
 * How {@link TransactionalMessages#send} makes a message as durable as the caller's local transaction: a
 * two-phase message at the coordinator ({@link CoordinatorMessagePublisher}) or an outbox row relayed to a broker.
 * Called inside the caller's transaction.
 */
public interface MessagePublisher {

    /** Enlists the message in the current transaction and returns its id. */
    String publish(String name, List<String> targets, String payloadJson);
}

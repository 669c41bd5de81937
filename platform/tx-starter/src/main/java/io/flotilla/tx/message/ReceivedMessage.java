package io.flotilla.tx.message;

/**
 * What a {@link MessageReceiver} method may take besides the payload: {@code messageId} is the same on every
 * repeat of a delivery (the duplicate check is done already), {@code xid} names the message at the coordinator,
 * {@code name} is the name the producer gave it.
 */
public record ReceivedMessage(String messageId, String xid, String name) {
}

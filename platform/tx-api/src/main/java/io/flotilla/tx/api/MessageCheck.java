package io.flotilla.tx.api;

/**
 * Body of the coordinator's check-back call to a message's {@code checkUrl}: the message {@code xid} was prepared
 * but neither submitted nor aborted in time. The producer answers a {@link MessageCheckResult}.
 */
public record MessageCheck(String xid) {
}

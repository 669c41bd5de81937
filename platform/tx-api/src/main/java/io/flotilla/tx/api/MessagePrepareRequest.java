package io.flotilla.tx.api;

import java.util.List;

/**
 * Body of {@code POST /v1/messages}: prepares a two-phase message. {@code targets} are the absolute http(s) URLs the
 * coordinator delivers to once the message is submitted; {@code payload} is the message body (JSON text, delivered
 * as is); {@code checkUrl} is the producer's check-back endpoint, asked when the message is neither submitted nor
 * aborted within {@code timeoutMs} (defaults to the coordinator's default time-out); {@code name} is optional.
 */
public record MessagePrepareRequest(List<String> targets, String payload, String checkUrl, Long timeoutMs,
        String name) {
}

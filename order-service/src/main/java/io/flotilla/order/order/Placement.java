package io.flotilla.order.order;

/**
 * The answer to a placement request.
 *
 * @param order the order, settled
 * @param replayed whether this answer is a stored one, returned again for a repeated Idempotency-Key
 */
public record Placement(Order order, boolean replayed) {
}

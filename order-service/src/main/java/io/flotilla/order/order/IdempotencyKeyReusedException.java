package io.flotilla.order.order;

/** The Idempotency-Key already belongs to an order placed with a different body. */
public class IdempotencyKeyReusedException extends RuntimeException {

    private final long orderId;

    IdempotencyKeyReusedException(Order first) {
        super("Idempotency-Key '" + first.idempotencyKey() + "' was already used for order " + first.orderId()
                + " with a different request; use a new key for a new order");
        this.orderId = first.orderId();
    }

    public long orderId() {
        return orderId;
    }
}

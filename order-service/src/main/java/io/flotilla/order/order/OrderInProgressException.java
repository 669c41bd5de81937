package io.flotilla.order.order;

/** The order is still PENDING: its outcome is not known yet. Retrying with the same key is safe. */
public class OrderInProgressException extends RuntimeException {

    private final long orderId;

    OrderInProgressException(Order order) {
        super("Order " + order.orderId() + " is still being settled; retry with the same Idempotency-Key");
        this.orderId = order.orderId();
    }

    public long orderId() {
        return orderId;
    }
}

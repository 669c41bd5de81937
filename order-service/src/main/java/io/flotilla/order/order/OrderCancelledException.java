package io.flotilla.order.order;

/** The order was recorded and then cancelled (not enough stock, or its stock could not be taken). */
public class OrderCancelledException extends RuntimeException {

    private final Order order;
    private final boolean replayed;

    OrderCancelledException(Order order, boolean replayed) {
        super("Order " + order.orderId() + " was cancelled: " + order.reason());
        this.order = order;
        this.replayed = replayed;
    }

    public Order order() {
        return order;
    }

    /** Whether this answer was stored for an earlier request with the same Idempotency-Key. */
    public boolean replayed() {
        return replayed;
    }
}

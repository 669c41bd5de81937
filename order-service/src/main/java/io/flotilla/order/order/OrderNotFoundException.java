package io.flotilla.order.order;

/** No order has this id. */
public class OrderNotFoundException extends RuntimeException {

    OrderNotFoundException(long orderId) {
        super("No order with id " + orderId);
    }
}

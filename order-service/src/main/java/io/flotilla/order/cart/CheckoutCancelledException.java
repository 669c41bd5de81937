package io.flotilla.order.cart;

import java.util.List;

import io.flotilla.order.order.OrderResponse;

/** No order of a checkout was confirmed (each was recorded CANCELLED); the cart is unchanged. */
public class CheckoutCancelledException extends RuntimeException {

    private final transient List<OrderResponse> orders;

    CheckoutCancelledException(List<OrderResponse> orders) {
        super("No order of the checkout could be confirmed; the cart is unchanged");
        this.orders = List.copyOf(orders);
    }

    public List<OrderResponse> orders() {
        return orders;
    }
}

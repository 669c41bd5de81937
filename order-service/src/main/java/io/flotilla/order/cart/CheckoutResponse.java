package io.flotilla.order.cart;

import java.util.List;

import io.flotilla.order.order.OrderResponse;

/**
 * What a checkout did.
 *
 * @param orders one order per cart line, CONFIRMED or CANCELLED (not enough stock)
 * @param cart what is left in the cart: the lines whose orders were cancelled
 */
public record CheckoutResponse(List<OrderResponse> orders, CartResponse cart) {
}

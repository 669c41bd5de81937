package io.flotilla.order.cart;

import java.util.List;

/**
 * A cart as the API shows it.
 *
 * @param items one line per product, in the order they were first added
 * @param totalQuantity units over all lines
 */
public record CartResponse(List<Cart.Line> items, int totalQuantity) {

    static CartResponse of(Cart cart) {
        return new CartResponse(cart.lines(), cart.lines().stream().mapToInt(Cart.Line::quantity).sum());
    }
}

package io.flotilla.order.cart;

/** A checkout of a cart with nothing in it (or of a session that has no cart). */
public class EmptyCartException extends RuntimeException {

    EmptyCartException() {
        super("The cart is empty: add items with PUT /api/cart/items/{sku} first");
    }
}

package io.flotilla.order.cart;

/** The request cannot change the cart (unknown product, cart full); the cart is unchanged. */
public class InvalidCartException extends RuntimeException {

    InvalidCartException(String message) {
        super(message);
    }
}

package io.flotilla.order.order;

/** The request cannot become an order (unknown product, bad Idempotency-Key); nothing was recorded. */
public class InvalidOrderException extends RuntimeException {

    InvalidOrderException(String message) {
        super(message);
    }
}

package io.flotilla.order.order;

/** Another request with the same Idempotency-Key is still running; retrying with the same key is safe. */
public class IdempotencyKeyBusyException extends RuntimeException {

    IdempotencyKeyBusyException(String idempotencyKey) {
        super("Another request with Idempotency-Key '" + idempotencyKey + "' is still running; retry with the same key");
    }
}

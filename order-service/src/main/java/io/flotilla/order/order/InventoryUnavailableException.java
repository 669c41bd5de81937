package io.flotilla.order.order;

/** inventory-service could not be asked before anything was recorded; the request may be retried as it is. */
public class InventoryUnavailableException extends RuntimeException {

    InventoryUnavailableException(Throwable cause) {
        super("inventory-service is unavailable; nothing was ordered, retry later", cause);
    }
}

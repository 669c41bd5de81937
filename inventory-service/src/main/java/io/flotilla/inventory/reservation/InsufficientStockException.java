package io.flotilla.inventory.reservation;

/** Fewer units are available than a reservation asked for; nothing was reserved. */
public class InsufficientStockException extends RuntimeException {

    InsufficientStockException(String sku, int requested) {
        super("Not enough stock of '" + sku + "' to reserve " + requested + " unit(s)");
    }
}

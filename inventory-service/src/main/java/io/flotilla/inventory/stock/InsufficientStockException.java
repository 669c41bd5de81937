package io.flotilla.inventory.stock;

/** Fewer units are available than asked for; nothing was taken. */
public class InsufficientStockException extends RuntimeException {

    InsufficientStockException(String sku, int requested) {
        super("Not enough stock of '" + sku + "' for " + requested + " unit(s)");
    }
}

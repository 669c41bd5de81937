package io.flotilla.inventory.product;

/**
 * A product and its stock.
 *
 * @param sku stock-keeping unit, the product's key
 * @param name display name
 * @param priceCents unit price in cents
 * @param available units that can be reserved
 * @param frozen units held by reservations that are neither confirmed nor cancelled yet
 */
public record Product(String sku, String name, long priceCents, int available, int frozen) {
}

package io.flotilla.inventory.product;

/** No product has the requested sku. */
public class ProductNotFoundException extends RuntimeException {

    public ProductNotFoundException(String sku) {
        super("No product with sku '" + sku + "'");
    }
}

package io.flotilla.order.cart;

/** The product to remove is not in the cart. */
public class CartItemNotFoundException extends RuntimeException {

    CartItemNotFoundException(String sku) {
        super("'" + sku + "' is not in the cart");
    }
}

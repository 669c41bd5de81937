package io.flotilla.order.cart;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code PUT /api/cart/items/{sku}}.
 *
 * @param quantity how many units the cart holds of the product, 1..1000 (an order's limit)
 */
public record SetQuantityRequest(@NotNull @Min(1) @Max(1000) Integer quantity) {
}

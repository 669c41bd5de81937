package io.flotilla.order.cart;

import io.flotilla.order.order.OrderMode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/cart/checkout}.
 *
 * @param userId who orders
 * @param mode TCC (default) or XA, for every order of the checkout
 */
public record CheckoutRequest(@NotBlank @Size(max = 64) String userId, OrderMode mode) {

    public CheckoutRequest {
        mode = mode == null ? OrderMode.TCC : mode;
    }
}

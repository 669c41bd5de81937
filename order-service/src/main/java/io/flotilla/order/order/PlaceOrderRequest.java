package io.flotilla.order.order;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/orders}.
 *
 * @param userId who orders
 * @param sku what
 * @param quantity how many units, 1..1000
 * @param mode TCC or XA
 */
public record PlaceOrderRequest(@NotBlank @Size(max = 64) String userId, @NotBlank @Size(max = 64) String sku,
        @NotNull @Min(1) @Max(1000) Integer quantity, @NotNull OrderMode mode) {
}

package io.flotilla.inventory.reservation;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * What to hold or take.
 *
 * @param sku the product
 * @param quantity units, at least 1
 */
public record ReserveStockRequest(@NotBlank @Size(max = 64) String sku, @Positive int quantity) {
}

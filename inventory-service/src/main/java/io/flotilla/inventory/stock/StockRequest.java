package io.flotilla.inventory.stock;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Units of one product to reserve or take.
 *
 * @param sku the product
 * @param quantity units, at least 1
 */
public record StockRequest(@NotBlank @Size(max = 64) String sku, @Positive int quantity) {
}

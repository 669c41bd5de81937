package io.flotilla.inventory.reservation;

import java.time.OffsetDateTime;

/**
 * Stock held or taken for one caller-chosen reservation id (the shop uses the order id).
 *
 * @param reservationId the caller's id, unique
 * @param sku product reserved; null for a cancel that arrived before any try (empty rollback)
 * @param quantity units reserved; 0 for an empty rollback
 * @param status where the reservation stands
 * @param createdAt when the first call for this id arrived
 * @param updatedAt when the status last changed
 */
public record Reservation(String reservationId, String sku, int quantity, ReservationStatus status,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}

package io.flotilla.inventory.reservation;

/** Where a reservation stands. TRIED holds frozen stock; the other two are final. */
public enum ReservationStatus {
    TRIED, CONFIRMED, CANCELLED
}

package io.flotilla.inventory.reservation;

/** No reservation has this id, so there is nothing to confirm or read. */
public class ReservationNotFoundException extends RuntimeException {

    ReservationNotFoundException(String reservationId) {
        super("No reservation with id '" + reservationId + "'");
    }
}

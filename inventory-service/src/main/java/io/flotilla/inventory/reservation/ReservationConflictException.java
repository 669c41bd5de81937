package io.flotilla.inventory.reservation;

/**
 * The call contradicts what already happened to this reservation id: a try after its cancel, a confirm after a
 * cancel, a cancel after a confirm, or the same id reused for another product or quantity.
 */
public class ReservationConflictException extends RuntimeException {

    ReservationConflictException(String message) {
        super(message);
    }
}

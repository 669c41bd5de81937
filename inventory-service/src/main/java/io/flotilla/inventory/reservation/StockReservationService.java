package io.flotilla.inventory.reservation;

import java.time.Clock;
import java.time.OffsetDateTime;

import io.flotilla.inventory.product.ProductNotFoundException;
import io.flotilla.inventory.product.ProductRepository;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import static io.flotilla.inventory.reservation.ReservationStatus.CANCELLED;
import static io.flotilla.inventory.reservation.ReservationStatus.CONFIRMED;
import static io.flotilla.inventory.reservation.ReservationStatus.TRIED;

/**
 * Reserves stock in two phases (TCC: reserve freezes, confirm removes the frozen units, cancel returns them) or in
 * one step (deduct, for a branch whose atomicity comes from XA). Each call is one local transaction that writes the
 * reservation row first and then moves stock with a conditional update, so every call may be repeated, and a cancel
 * may overtake its try, without losing or double-counting a unit.
 */
@Service
public class StockReservationService {

    private final ProductRepository products;
    private final ReservationRepository reservations;
    private final Clock clock;

    StockReservationService(ProductRepository products, ReservationRepository reservations, Clock clock) {
        this.products = products;
        this.reservations = reservations;
        this.clock = clock;
    }

    /**
     * Moves {@code quantity} units of {@code sku} from available to frozen under {@code reservationId}. Repeating
     * it returns the first result; after a cancel of the same id it is refused.
     */
    @Transactional
    public Reservation reserve(String reservationId, String sku, int quantity) {
        requireProduct(sku);
        OffsetDateTime now = now();
        Reservation tried = new Reservation(reservationId, sku, quantity, TRIED, now, now);
        if (!reservations.insert(tried)) {
            return repeated(reservationId, sku, quantity);
        }
        if (!products.freeze(sku, quantity)) {
            throw new InsufficientStockException(sku, quantity);
        }
        return tried;
    }

    /** Removes the reserved units from frozen for good. Repeating it is harmless; after a cancel it is refused. */
    @Transactional
    public Reservation confirm(String reservationId) {
        OffsetDateTime now = now();
        if (reservations.transition(reservationId, TRIED, CONFIRMED, now)) {
            Reservation reservation = find(reservationId);
            moveStock(products.removeFrozen(reservation.sku(), reservation.quantity()), reservation);
            return reservation;
        }
        Reservation reservation = find(reservationId);
        if (reservation.status() == CANCELLED) {
            throw new ReservationConflictException(
                    "Reservation '" + reservationId + "' was cancelled; it cannot be confirmed");
        }
        return reservation;
    }

    /**
     * Returns the reserved units to available. A cancel for an id never tried records the id as cancelled and
     * succeeds, so a late try is refused. Repeating it is harmless; after a confirm it is refused.
     */
    @Transactional
    public Reservation cancel(String reservationId) {
        OffsetDateTime now = now();
        Reservation emptyRollback = new Reservation(reservationId, null, 0, CANCELLED, now, now);
        if (reservations.insert(emptyRollback)) {
            return emptyRollback;
        }
        if (reservations.transition(reservationId, TRIED, CANCELLED, now)) {
            Reservation reservation = find(reservationId);
            moveStock(products.unfreeze(reservation.sku(), reservation.quantity()), reservation);
            return reservation;
        }
        Reservation reservation = find(reservationId);
        if (reservation.status() == CONFIRMED) {
            throw new ReservationConflictException(
                    "Reservation '" + reservationId + "' was confirmed; it cannot be cancelled");
        }
        return reservation;
    }

    /**
     * Takes {@code quantity} units of {@code sku} from available in one conditional update, recorded as a confirmed
     * reservation. Meant to run inside a transaction that is itself atomic with the caller's (an XA branch).
     */
    @Transactional
    public Reservation deduct(String reservationId, String sku, int quantity) {
        requireProduct(sku);
        OffsetDateTime now = now();
        Reservation taken = new Reservation(reservationId, sku, quantity, CONFIRMED, now, now);
        if (!reservations.insert(taken)) {
            return repeated(reservationId, sku, quantity);
        }
        if (!products.deduct(sku, quantity)) {
            throw new InsufficientStockException(sku, quantity);
        }
        return taken;
    }

    @Transactional(readOnly = true)
    public Reservation get(String reservationId) {
        return find(reservationId);
    }

    private Reservation repeated(String reservationId, String sku, int quantity) {
        Reservation first = find(reservationId);
        if (first.status() == CANCELLED) {
            throw new ReservationConflictException("Reservation '" + reservationId
                    + "' was cancelled before this request arrived; it cannot be reserved again");
        }
        if (!sku.equals(first.sku()) || quantity != first.quantity()) {
            throw new ReservationConflictException("Reservation '" + reservationId + "' already holds "
                    + first.quantity() + " unit(s) of '" + first.sku() + "'");
        }
        return first;
    }

    private void requireProduct(String sku) {
        if (products.findBySku(sku).isEmpty()) {
            throw new ProductNotFoundException(sku);
        }
    }

    private Reservation find(String reservationId) {
        return reservations.find(reservationId).orElseThrow(() -> new ReservationNotFoundException(reservationId));
    }

    /** A TRIED row always has its units frozen, so a failed move means the ledger is broken: stop, do not hide it. */
    private static void moveStock(boolean moved, Reservation reservation) {
        if (!moved) {
            throw new IllegalStateException("Frozen stock of '" + reservation.sku() + "' is below the "
                    + reservation.quantity() + " unit(s) held by reservation '" + reservation.reservationId() + "'");
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}

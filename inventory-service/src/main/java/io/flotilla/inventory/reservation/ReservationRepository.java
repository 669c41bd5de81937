package io.flotilla.inventory.reservation;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reservation rows. Inserting uses {@code ON CONFLICT DO NOTHING} (PostgreSQL, and H2 in PostgreSQL mode) rather
 * than catching a duplicate-key error: on PostgreSQL a failed statement aborts the whole transaction, and a
 * taken id is the expected race here, not an error.
 */
@Repository
class ReservationRepository {

    private final JdbcClient jdbc;

    ReservationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the row; false when a row with this id already exists (the caller then reads it). */
    boolean insert(Reservation reservation) {
        return jdbc.sql("""
                INSERT INTO stock_reservation (reservation_id, sku, quantity, status, created_at, updated_at)
                VALUES (:id, :sku, :quantity, :status, :createdAt, :updatedAt)
                ON CONFLICT DO NOTHING""")
            .param("id", reservation.reservationId())
            .param("sku", reservation.sku())
            .param("quantity", reservation.quantity())
            .param("status", reservation.status().name())
            .param("createdAt", reservation.createdAt())
            .param("updatedAt", reservation.updatedAt())
            .update() == 1;
    }

    Optional<Reservation> find(String reservationId) {
        return jdbc.sql("""
                SELECT reservation_id, sku, quantity, status, created_at, updated_at
                FROM stock_reservation WHERE reservation_id = :id""")
            .param("id", reservationId)
            .query(Reservation.class)
            .optional();
    }

    /** Moves the row from {@code from} to {@code to}; false when it was not in {@code from}. */
    boolean transition(String reservationId, ReservationStatus from, ReservationStatus to, OffsetDateTime at) {
        return jdbc.sql("""
                UPDATE stock_reservation SET status = :to, updated_at = :at
                WHERE reservation_id = :id AND status = :from""")
            .param("id", reservationId)
            .param("from", from.name())
            .param("to", to.name())
            .param("at", at)
            .update() == 1;
    }
}

package io.flotilla.order.order;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Order rows. A taken Idempotency-Key is the expected race, so the insert reports it with
 * {@code ON CONFLICT DO NOTHING} (PostgreSQL, and H2 in PostgreSQL mode) instead of failing the transaction.
 */
@Repository
class OrderRepository {

    private static final String COLUMNS = """
            order_id, idempotency_key, user_id, sku, quantity, mode, status, total_cents, reason, xid, \
            created_at, updated_at""";

    /**
     * Maps columns by name. Not {@code query(Order.class)}: its property mapper asks the result set for each
     * camel-case name first ({@code orderId}, {@code totalCents}, …), and every miss is an SQLException that H2 also
     * writes, with its stack trace, to the database's trace file: six per row read, a fifth of the service's CPU.
     */
    private static final RowMapper<Order> ORDER = (row, rowNumber) -> new Order(row.getLong("order_id"),
            row.getString("idempotency_key"), row.getString("user_id"), row.getString("sku"), row.getInt("quantity"),
            OrderMode.valueOf(row.getString("mode")), OrderStatus.valueOf(row.getString("status")),
            row.getLong("total_cents"), row.getString("reason"), row.getString("xid"),
            row.getObject("created_at", OffsetDateTime.class), row.getObject("updated_at", OffsetDateTime.class));

    private final JdbcClient jdbc;

    OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a PENDING order; false when its Idempotency-Key is already taken. */
    boolean insert(Order order) {
        return jdbc.sql("INSERT INTO orders (" + COLUMNS + """
                ) VALUES (:orderId, :idempotencyKey, :userId, :sku, :quantity, :mode, :status, :totalCents, :reason,
                :xid, :createdAt, :updatedAt) ON CONFLICT DO NOTHING""")
            .param("orderId", order.orderId())
            .param("idempotencyKey", order.idempotencyKey())
            .param("userId", order.userId())
            .param("sku", order.sku())
            .param("quantity", order.quantity())
            .param("mode", order.mode().name())
            .param("status", order.status().name())
            .param("totalCents", order.totalCents())
            .param("reason", order.reason())
            .param("xid", order.xid())
            .param("createdAt", order.createdAt())
            .param("updatedAt", order.updatedAt())
            .update() == 1;
    }

    Optional<Order> findById(long orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE order_id = :id")
            .param("id", orderId)
            .query(ORDER)
            .optional();
    }

    Optional<Order> findByIdempotencyKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE idempotency_key = :key")
            .param("key", key)
            .query(ORDER)
            .optional();
    }

    /** A user's orders, newest first. */
    List<Order> findByUser(String userId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE user_id = :userId "
                + "ORDER BY created_at DESC, order_id DESC LIMIT :limit")
            .param("userId", userId)
            .param("limit", limit)
            .query(ORDER)
            .list();
    }

    /** PENDING orders placed before {@code cutoff}, oldest first. */
    List<Order> findPendingBefore(OffsetDateTime cutoff, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE status = 'PENDING' AND created_at < :cutoff "
                + "ORDER BY created_at LIMIT :limit")
            .param("cutoff", cutoff)
            .param("limit", limit)
            .query(ORDER)
            .list();
    }

    /** Records the global transaction of a PENDING order; false when the order was settled meanwhile. */
    boolean recordXid(long orderId, String xid) {
        return jdbc.sql("UPDATE orders SET xid = :xid WHERE order_id = :id AND status = 'PENDING'")
            .param("id", orderId)
            .param("xid", xid)
            .update() == 1;
    }

    /** Settles a PENDING order; false when it was already settled (by another replica or the recovery). */
    boolean settle(long orderId, OrderStatus status, String reason, OffsetDateTime at) {
        return jdbc.sql("""
                UPDATE orders SET status = :status, reason = :reason, updated_at = :at
                WHERE order_id = :id AND status = 'PENDING'""")
            .param("id", orderId)
            .param("status", status.name())
            .param("reason", reason)
            .param("at", at)
            .update() == 1;
    }
}

package io.flotilla.inventory.points;

import io.flotilla.tx.message.MessageReceiver;
import io.flotilla.tx.message.ReceivedMessage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The loyalty-points ledger: books one entry per confirmed order, as order-service's {@code order-confirmed}
 * two-phase messages arrive. The tx starter runs {@link #orderConfirmed} at most once per message, in one local
 * transaction with its received-message row.
 */
@Service
public class PointsLedger {

    /** What order-service sends; unknown fields are ignored so the producer may add some. */
    public record OrderConfirmed(long orderId, String userId, long totalCents) {
    }

    private final JdbcClient jdbc;

    public PointsLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @MessageReceiver(name = "order-confirmed")
    public void orderConfirmed(OrderConfirmed order, ReceivedMessage message) {
        jdbc.sql("INSERT INTO points_entries (order_id, user_id, points, message_id) VALUES (?, ?, ?, ?)")
                .params(order.orderId(), order.userId(), order.totalCents(), message.messageId())
                .update();
    }

    public Points of(String userId) {
        return jdbc.sql("SELECT COUNT(*), COALESCE(SUM(points), 0) FROM points_entries WHERE user_id = ?")
                .param(userId)
                .query((row, n) -> new Points(userId, row.getLong(1), row.getLong(2)))
                .single();
    }
}

package io.flotilla.tx.message.crash;

import io.flotilla.tx.message.MessageReceiver;
import io.flotilla.tx.message.TransactionalMessages;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The crash tests' orders (producer side) and points ledger (receiver side), with the halts the tests ask for. */
@RestController
public class OrderMessages {

    /** Where the process dies: not at all, after its local commit but before the submit, or before its commit. */
    public enum Halt { NONE, AFTER_COMMIT, BEFORE_COMMIT }

    public record OrderConfirmed(String orderId, String userId, long totalCents) {
    }

    public record ConfirmOrder(String orderId, String userId, long totalCents, String target, Halt halt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionalMessages messages;
    private final AtomicLong receiveDelayMillis = new AtomicLong();

    public OrderMessages(JdbcTemplate jdbc, TransactionalMessages messages) {
        this.jdbc = jdbc;
        this.messages = messages;
        jdbc.execute("CREATE TABLE IF NOT EXISTS crash_orders (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), "
                + "total_cents BIGINT)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS crash_points (order_id VARCHAR(64), user_id VARCHAR(64), "
                + "points BIGINT)");
    }

    @PostMapping("/orders")
    @Transactional
    public String confirm(@RequestBody ConfirmOrder order) {
        jdbc.update("INSERT INTO crash_orders (id, user_id, total_cents) VALUES (?, ?, ?)", order.orderId(),
                order.userId(), order.totalCents());
        // Named after the order, so a test can find the message of an order whose producer died before answering.
        String xid = messages.send(order.orderId(), List.of(order.target()),
                new OrderConfirmed(order.orderId(), order.userId(), order.totalCents()));
        switch (order.halt()) {
            case BEFORE_COMMIT -> Runtime.getRuntime().halt(1);
            // Registered after send's own synchronization, whose submit runs in afterCompletion: afterCommit of
            // any synchronization comes first, so the process dies with the order committed and the message not
            // submitted.
            case AFTER_COMMIT -> TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            Runtime.getRuntime().halt(1);
                        }
                    });
            case NONE -> {
            }
        }
        return xid;
    }

    @PostMapping("/faults")
    public void faults(@RequestParam long receiveDelayMillis) {
        this.receiveDelayMillis.set(receiveDelayMillis);
    }

    @MessageReceiver(name = "points")
    void book(OrderConfirmed order) throws InterruptedException {
        Thread.sleep(receiveDelayMillis.get());
        jdbc.update("INSERT INTO crash_points (order_id, user_id, points) VALUES (?, ?, ?)", order.orderId(),
                order.userId(), order.totalCents());
    }
}

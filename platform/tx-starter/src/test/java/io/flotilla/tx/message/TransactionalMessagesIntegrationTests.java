package io.flotilla.tx.message;

import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.MessagePrepareRequest;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.ParticipantCallbacks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Transactional messages end to end in one application (H2) that is both producer and receiver, against a real
 * coordinator process: every call between them is signed HTTP on loopback.
 */
@SpringBootTest(classes = TransactionalMessagesIntegrationTests.ShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:messages-it;DB_CLOSE_DELAY=-1",
        "flotilla.tx.participant.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
        "flotilla.tx.messages.check-after=2s"})
class TransactionalMessagesIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void coordinator(DynamicPropertyRegistry registry) {
        registry.add("flotilla.tx.coordinator.addresses", () -> TestCoordinator.shared().url());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ShopApplication {

        @Bean
        Orders orders(JdbcTemplate jdbc, TransactionalMessages messages) {
            return new Orders(jdbc, messages);
        }

        @Bean
        Ledger ledger(JdbcTemplate jdbc) {
            jdbc.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), "
                    + "total_cents BIGINT)");
            jdbc.execute("CREATE TABLE IF NOT EXISTS points (order_id VARCHAR(64), user_id VARCHAR(64), points BIGINT)");
            return new Ledger(jdbc);
        }
    }

    record OrderConfirmed(String orderId, String userId, long totalCents) {
    }

    static class Orders {
        private final JdbcTemplate jdbc;
        private final TransactionalMessages messages;
        /** A proxy's own fields are not the target's: read this one through the method. */
        private volatile String lastXid;

        Orders(JdbcTemplate jdbc, TransactionalMessages messages) {
            this.jdbc = jdbc;
            this.messages = messages;
        }

        @Transactional
        public String confirm(String target, String orderId, String userId, long totalCents, boolean failAfterSend) {
            jdbc.update("INSERT INTO orders (id, user_id, total_cents) VALUES (?, ?, ?)", orderId, userId, totalCents);
            String xid = messages.send("order-confirmed", List.of(target),
                    new OrderConfirmed(orderId, userId, totalCents));
            lastXid = xid;
            if (failAfterSend) {
                throw new IllegalStateException("payment declined");
            }
            return xid;
        }

        public String lastXid() {
            return lastXid;
        }
    }

    static class Ledger {
        private final JdbcTemplate jdbc;

        Ledger(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @MessageReceiver(name = "points")
        void book(OrderConfirmed order) {
            jdbc.update("INSERT INTO points (order_id, user_id, points) VALUES (?, ?, ?)", order.orderId(),
                    order.userId(), order.totalCents());
        }

        int entries(String orderId) {
            return jdbc.queryForObject("SELECT COUNT(*) FROM points WHERE order_id = ?", Integer.class, orderId);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Orders orders;

    @Autowired
    Ledger ledger;

    @Autowired
    CoordinatorClient coordinator;

    @Autowired
    MessageBarrier barrier;

    @Autowired
    ParticipantCallbacks callbacks;

    @Autowired
    TransactionTemplate transactions;

    private String target() {
        return MessageTargets.receiver("http://127.0.0.1:" + port, "points");
    }

    private String order() {
        return "order-" + UUID.randomUUID();
    }

    @Test
    void aCommittedOrderBooksItsPointsOnce() {
        String order = order();

        String xid = orders.confirm(target(), order, "ada", 1250, false);

        await().atMost(WAIT).until(() -> GlobalStatus.COMMITTED == coordinator.status(xid).status());
        assertThat(ledger.entries(order)).isEqualTo(1);
    }

    @Test
    void aRolledBackOrderSendsNothing() {
        String order = order();

        assertThatThrownBy(() -> orders.confirm(target(), order, "ada", 1250, true)).hasMessage("payment declined");

        String xid = orders.lastXid();
        await().atMost(WAIT).until(() -> GlobalStatus.ROLLED_BACK == coordinator.status(xid).status());
        assertThat(ledger.entries(order)).isZero();
        assertThat(barrier.settle(xid)).isEqualTo(GlobalStatus.ROLLED_BACK);
    }

    @Test
    void sendOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> new TransactionalMessages((name, targets, payload) -> "x",
                tools.jackson.databind.json.JsonMapper.builder().build()).send("http://127.0.0.1:1/x", 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("@Transactional");
    }

    @Test
    void aMessageWhoseSubmitWasLostIsDeliveredAfterTheCheckBackFindsItsCommit() {
        String order = order();
        // The producer's local transaction commits with its barrier, and the submit never happens (a crash).
        String xid = transactions.execute(status -> {
            String prepared = prepare(order);
            barrier.commitInCurrentTransaction(prepared);
            return prepared;
        });

        await().atMost(WAIT).until(() -> GlobalStatus.COMMITTED == coordinator.status(xid).status());
        assertThat(ledger.entries(order)).isEqualTo(1);
    }

    @Test
    void aMessageWhoseLocalTransactionNeverRanIsAbortedByTheCheckBackAndTheLateTransactionFails() {
        String order = order();
        String xid = prepare(order);

        await().atMost(WAIT).until(() -> GlobalStatus.ROLLED_BACK == coordinator.status(xid).status());
        assertThatThrownBy(() -> transactions.executeWithoutResult(
                status -> barrier.commitInCurrentTransaction(xid))).isInstanceOf(MessageAbortedException.class);
        assertThat(ledger.entries(order)).isZero();
    }

    private String prepare(String order) {
        return coordinator.prepareMessage(new MessagePrepareRequest(List.of(target()),
                "{\"orderId\":\"" + order + "\",\"userId\":\"bob\",\"totalCents\":300}", callbacks.messageCheck(),
                2_000L, "order-confirmed"));
    }
}

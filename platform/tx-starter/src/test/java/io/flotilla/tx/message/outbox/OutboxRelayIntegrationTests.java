package io.flotilla.tx.message.outbox;

import io.flotilla.tx.message.MessageDispatcher;
import io.flotilla.tx.message.MessageReceiverRegistry;
import io.flotilla.tx.message.TransactionalMessages;
import io.flotilla.tx.tcc.FenceSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox against the real RabbitMQ on 127.0.0.1:5672 (guest/guest) and an H2 database: rows written in the
 * local transaction, relayed with publisher confirms, rescanned until the broker takes them. Each test uses queues
 * of its own, deleted afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxRelayIntegrationTests {

    private CachingConnectionFactory connectionFactory;
    private RabbitAdmin admin;
    private RabbitTemplate consumer;
    private DataSource dataSource;
    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private TransactionalMessages messages;
    private OutboxRelay relay;
    private final List<String> queues = new ArrayList<>();

    @BeforeAll
    void setUp() {
        connectionFactory = new CachingConnectionFactory("127.0.0.1", 5672);
        connectionFactory.setUsername("guest");
        connectionFactory.setPassword("guest");
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connectionFactory.setPublisherReturns(true);
        admin = new RabbitAdmin(connectionFactory);
        consumer = new RabbitTemplate(connectionFactory);
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        FenceSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        messages = new TransactionalMessages(new OutboxMessagePublisher(dataSource), JsonMapper.builder().build());
        relay = new OutboxRelay(dataSource, connectionFactory, "", Duration.ofHours(1), 100, Duration.ofSeconds(10),
                Clock.systemUTC());
    }

    @AfterAll
    void tearDown() {
        queues.forEach(admin::deleteQueue);
        connectionFactory.destroy();
    }

    private String queue() {
        String name = "flotilla-outbox-test-" + UUID.randomUUID();
        admin.declareQueue(new Queue(name, false, false, false));
        queues.add(name);
        return name;
    }

    @Test
    void committedMessagesArePublishedOnceWithTheirIdAndRolledBackOnesNever() {
        String queue = queue();
        String committed = transactions.execute(status -> messages.send("points", List.of(queue),
                Map.of("orderId", "o-1", "totalCents", 1250)));
        transactions.executeWithoutResult(status -> {
            messages.send(queue, Map.of("orderId", "o-2"));
            status.setRollbackOnly();
        });

        assertThat(relay.relay()).isEqualTo(1);
        assertThat(relay.relay()).isZero();

        Message received = consumer.receive(queue, 10_000);
        assertThat(received).isNotNull();
        assertThat(received.getMessageProperties().getMessageId()).isEqualTo(committed + ":1");
        assertThat(received.getMessageProperties().<String>getHeader(OutboxRelay.NAME_HEADER)).isEqualTo("points");
        assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).contains("\"orderId\":\"o-1\"");
        assertThat(consumer.receive(queue, 500)).isNull();
        assertThat(status(committed + ":1")).isEqualTo("SENT");
    }

    /** One pass relays every pending row, a batch at a time: one batch a pass capped a producer at 100 a second. */
    @Test
    void onePassPublishesEveryPendingRowNotOnlyTheFirstBatch() {
        String queue = queue();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int n = i;
            ids.add(transactions.execute(status -> messages.send(queue, Map.of("orderId", "o-batch-" + n))) + ":1");
        }
        OutboxRelay twoPerBatch = new OutboxRelay(dataSource, connectionFactory, "", Duration.ofHours(1), 2,
                Duration.ofSeconds(10), Clock.systemUTC());

        assertThat(twoPerBatch.relay()).isGreaterThanOrEqualTo(7);

        assertThat(ids).allSatisfy(id -> assertThat(status(id)).as(id).isEqualTo("SENT"));
        List<String> received = new ArrayList<>();
        for (Message message; (message = consumer.receive(queue, 2_000)) != null; ) {
            received.add(message.getMessageProperties().getMessageId());
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aMessageTheBrokerDidNotTakeIsRepublishedByTheNextPass() {
        String queue = "flotilla-outbox-test-late-" + UUID.randomUUID();
        String id = transactions.execute(status -> messages.send(queue, Map.of("orderId", "o-3"))) + ":1";

        // No queue is bound to the routing key yet: the broker returns the mandatory message, so it stays pending.
        relay.relay();
        assertThat(status(id)).isEqualTo("PENDING");
        assertThat(jdbc.queryForObject("SELECT attempts FROM flotilla_tx_outbox WHERE id = ?", Integer.class, id))
                .isPositive();

        admin.declareQueue(new Queue(queue, false, false, false));
        queues.add(queue);
        relay.relay();

        assertThat(status(id)).isEqualTo("SENT");
        assertThat(consumer.receive(queue, 10_000).getMessageProperties().getMessageId()).isEqualTo(id);
    }

    @Test
    void aReceiverDropsARepeatedMessageById() {
        MessageDispatcher dispatcher = new MessageDispatcher(new MessageReceiverRegistry(new StaticListableBeanFactory()),
                dataSource, new DataSourceTransactionManager(dataSource), JsonMapper.builder().build());
        AtomicInteger booked = new AtomicInteger();
        String id = "m-" + UUID.randomUUID() + ":1";

        assertThat(dispatcher.runOnce(id, "points", booked::incrementAndGet)).isTrue();
        assertThat(dispatcher.runOnce(id, "points", booked::incrementAndGet)).isFalse();

        assertThat(booked).hasValue(1);
    }

    @Test
    void aConnectionWithoutPublisherConfirmsIsRefusedAtStartUp() {
        CachingConnectionFactory unconfirmed = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            assertThatThrownBy(() -> new OutboxRelay(dataSource, unconfirmed, "", Duration.ofSeconds(1), 10,
                    Duration.ofSeconds(1), Clock.systemUTC()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("spring.rabbitmq.publisher-confirm-type=correlated");
        } finally {
            unconfirmed.destroy();
        }
    }

    private String status(String id) {
        return jdbc.queryForObject("SELECT status FROM flotilla_tx_outbox WHERE id = ?", String.class, id);
    }
}

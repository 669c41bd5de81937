package io.flotilla.tx.message.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the outbox's PENDING rows to RabbitMQ and marks each SENT once the broker confirmed it (publisher
 * confirms) and did not return it (mandatory: a message no queue takes is not "sent"). Every pass rescans from the
 * table, so a row whose publish was not confirmed, whose confirm timed out, or that was never tried because the
 * application died, is published again: delivery is at least once, and receivers drop repeats by the AMQP
 * {@code messageId} (the row's id). Several instances may relay the same table; they only add repeats.
 */
public final class OutboxRelay implements SmartLifecycle {

    static final String PENDING = "PENDING";
    static final String SENT = "SENT";
    /** AMQP header carrying the name the producer gave the message. */
    public static final String NAME_HEADER = "x-flotilla-message-name";

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcTemplate jdbc;
    /** Reads at most a batch per pass. */
    private final JdbcTemplate batchReader;
    private final RabbitTemplate rabbit;
    private final String exchange;
    private final Duration interval;
    private final int batchSize;
    private final Duration confirmTimeout;
    private final Clock clock;
    private volatile ScheduledExecutorService scheduler;

    public OutboxRelay(DataSource dataSource, ConnectionFactory connectionFactory, String exchange, Duration interval,
                       int batchSize, Duration confirmTimeout, Clock clock) {
        requireConfirms(connectionFactory);
        this.jdbc = new JdbcTemplate(dataSource);
        this.batchReader = new JdbcTemplate(dataSource);
        this.batchReader.setMaxRows(batchSize);
        this.rabbit = new RabbitTemplate(connectionFactory);
        this.rabbit.setMandatory(true);
        this.exchange = exchange;
        this.interval = interval;
        this.batchSize = batchSize;
        this.confirmTimeout = confirmTimeout;
        this.clock = clock;
    }

    /** Without confirms and returns the relay could not tell a published message from a lost one. */
    private static void requireConfirms(ConnectionFactory connectionFactory) {
        if (connectionFactory instanceof CachingConnectionFactory caching
                && (!caching.isPublisherConfirms() || !caching.isPublisherReturns())) {
            throw new IllegalStateException("flotilla.tx.messages.mode=outbox needs publisher confirms and returns: "
                    + "set spring.rabbitmq.publisher-confirm-type=correlated and spring.rabbitmq.publisher-returns=true");
        }
    }

    private record Row(String id, String name, String destination, String payload, Timestamp createdAt) {
    }

    /**
     * One pass: publishes every PENDING row, oldest first, a batch at a time (each batch's confirms awaited before
     * the next is read); returns how many the broker took. The next batch starts after the last row of this one, so
     * a row the broker refused is tried once per pass, not once per batch. One batch per pass capped a producer at
     * {@code batch-size} messages per {@code relay-interval} (100 a second by default), and a faster one's backlog
     * grew without end.
     */
    public int relay() {
        int published = 0;
        Row last = null;
        List<Row> rows;
        do {
            rows = pendingAfter(last);
            published += publish(rows);
            last = rows.isEmpty() ? last : rows.get(rows.size() - 1);
        } while (rows.size() == batchSize && !Thread.currentThread().isInterrupted()); // stop() interrupts
        return published;
    }

    /** At most a batch of PENDING rows after {@code last} (all of them from the oldest when it is null). */
    private List<Row> pendingAfter(Row last) {
        String select = "SELECT id, name, destination, payload, created_at FROM " + OutboxMessagePublisher.TABLE
                + " WHERE status = ?";
        RowMapper<Row> mapper = (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5));
        String order = " ORDER BY created_at, id";
        if (last == null) {
            return batchReader.query(select + order, mapper, PENDING);
        }
        return batchReader.query(select + " AND (created_at > ? OR (created_at = ? AND id > ?))" + order, mapper,
                PENDING, last.createdAt(), last.createdAt(), last.id());
    }

    /** Publishes {@code rows}, waits for the broker's confirms and marks the confirmed ones SENT; how many. */
    private int publish(List<Row> rows) {
        List<CorrelationData> sent = new ArrayList<>(rows.size());
        for (Row row : rows) {
            CorrelationData correlation = new CorrelationData(row.id());
            MessageProperties properties = new MessageProperties();
            properties.setMessageId(row.id());
            properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            properties.setHeader(NAME_HEADER, row.name());
            try {
                rabbit.send(exchange, row.destination(),
                        new Message(row.payload().getBytes(StandardCharsets.UTF_8), properties), correlation);
                sent.add(correlation);
            } catch (RuntimeException e) {
                failed(row.id(), e.toString());
            }
        }
        int confirmed = 0;
        for (CorrelationData correlation : sent) {
            if (confirmed(correlation)) {
                jdbc.update("UPDATE " + OutboxMessagePublisher.TABLE + " SET status = ?, sent_at = ? WHERE id = ?",
                        SENT, Timestamp.from(clock.instant()), correlation.getId());
                confirmed++;
            } else {
                failed(correlation.getId(), correlation.getReturned() != null
                        ? "returned: " + correlation.getReturned().getReplyText() : "not confirmed");
            }
        }
        return confirmed;
    }

    private boolean confirmed(CorrelationData correlation) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture().get(confirmTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            return confirm.ack() && correlation.getReturned() == null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception timedOutOrFailed) {
            return false;
        }
    }

    private void failed(String id, String why) {
        jdbc.update("UPDATE " + OutboxMessagePublisher.TABLE + " SET attempts = attempts + 1 WHERE id = ?", id);
        log.debug("Outbox row {} not published ({}); the next pass tries again", id, why);
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flotilla-outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(() -> {
            try {
                relay();
            } catch (RuntimeException e) {
                log.warn("Outbox relay pass failed; the next pass rescans: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        if (running != null) {
            running.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}

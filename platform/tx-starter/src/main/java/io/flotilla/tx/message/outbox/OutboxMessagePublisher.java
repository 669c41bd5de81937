package io.flotilla.tx.message.outbox;

import io.flotilla.tx.message.MessagePublisher;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;

/**
 * The local message table (outbox): one row per target in the caller's transaction, status PENDING, so the message
 * exists exactly when the business change does. {@link OutboxRelay} publishes the rows to the broker afterwards.
 * Each row's id, {@code <message id>:<n>}, is the AMQP {@code messageId} its receiver sees on every repeat.
 */
public final class OutboxMessagePublisher implements MessagePublisher {

    public static final String TABLE = "flotilla_tx_outbox";

    private final JdbcTemplate jdbc;

    public OutboxMessagePublisher(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public String publish(String name, List<String> targets, String payloadJson) {
        String messageId = UUID.randomUUID().toString();
        for (int i = 0; i < targets.size(); i++) {
            jdbc.update("INSERT INTO " + TABLE + " (id, name, destination, payload, status) VALUES (?, ?, ?, ?, ?)",
                    messageId + ":" + (i + 1), name, targets.get(i), payloadJson, OutboxRelay.PENDING);
        }
        return messageId;
    }
}

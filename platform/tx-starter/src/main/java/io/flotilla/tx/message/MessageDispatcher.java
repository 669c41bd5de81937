package io.flotilla.tx.message;

import io.flotilla.tx.api.MessageDelivery;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ReflectionUtils;

import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;

/**
 * Runs a delivered message's receiver at most once per message id (the idempotent receiver): the insert into the
 * received-message table ({@value #TABLE}) and the receiver's own work share one local transaction. The insert goes
 * first, so a repeat arriving while the first is still running waits on the key and then finds it.
 */
public final class MessageDispatcher {

    public static final String TABLE = "flotilla_tx_message_received";

    /** What a delivery did: ran the receiver, or found the message handled already. */
    public enum Outcome { DONE, DUPLICATE }

    private final MessageReceiverRegistry registry;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    public MessageDispatcher(MessageReceiverRegistry registry, DataSource dataSource,
                             PlatformTransactionManager transactionManager, JsonMapper json) {
        this.registry = registry;
        this.json = json;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public Outcome dispatch(String receiverName, MessageDelivery delivery) {
        MessageReceiverRegistry.Receiver receiver = registry.get(receiverName);
        Object payload = payload(receiver, delivery.payload());
        return transactions.execute(status -> {
            try {
                jdbc.update("INSERT INTO " + TABLE + " (message_id, receiver) VALUES (?, ?)", delivery.messageId(),
                        receiverName);
            } catch (DuplicateKeyException handledBefore) {
                status.setRollbackOnly();
                return Outcome.DUPLICATE;
            }
            invoke(receiver, payload, new ReceivedMessage(delivery.messageId(), delivery.xid(), delivery.name()));
            return Outcome.DONE;
        });
    }

    /**
     * The duplicate check for receivers of other transports (a {@code @RabbitListener} fed by the outbox relay,
     * with the AMQP {@code messageId}): runs {@code work} in one local transaction with the insert of
     * {@code messageId}, unless that message was handled before. Returns whether it ran.
     */
    public boolean runOnce(String messageId, String receiverName, Runnable work) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            try {
                jdbc.update("INSERT INTO " + TABLE + " (message_id, receiver) VALUES (?, ?)", messageId, receiverName);
            } catch (DuplicateKeyException handledBefore) {
                status.setRollbackOnly();
                return false;
            }
            work.run();
            return true;
        }));
    }

    private Object payload(MessageReceiverRegistry.Receiver receiver, String json) {
        Class<?> type = receiver.method().getParameterTypes()[0];
        if (type == String.class) {
            return json;
        }
        try {
            return this.json.readValue(json, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the payload does not bind to " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void invoke(MessageReceiverRegistry.Receiver receiver, Object payload, ReceivedMessage message) {
        Object[] arguments = receiver.method().getParameterCount() == 2 ? new Object[] {payload, message}
                : new Object[] {payload};
        try {
            receiver.method().invoke(receiver.bean(), arguments);
        } catch (InvocationTargetException e) {
            ReflectionUtils.rethrowRuntimeException(e.getTargetException());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.flotilla.tx.message;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.MessageDelivery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The barrier (producer) and the received-message table (receiver) on a real database; one subclass per engine, each
 * on a freshly migrated schema (the starter's own Flyway migration).
 */
abstract class MessageStoreContract {

    /** A data source on a database where the starter's migration has run. */
    abstract DataSource dataSource();

    private MessageBarrier barrier;
    private MessageDispatcher dispatcher;
    private TransactionTemplate transactions;
    private JdbcTemplate jdbc;
    private final PointsReceiver points = new PointsReceiver();

    /** A receiver that books points in the same transaction as the received-message row. */
    static final class PointsReceiver {
        volatile JdbcTemplate jdbc;
        volatile boolean failNext;

        @MessageReceiver(name = "points")
        void book(Entry entry, ReceivedMessage message) {
            jdbc.update("INSERT INTO msg_points (message_id, user_id, points) VALUES (?, ?, ?)", message.messageId(),
                    entry.userId(), entry.points());
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("told to fail after writing");
            }
        }
    }

    record Entry(String userId, long points) {
    }

    /** Once per class, after the subclass's own set-up made the data source. */
    @BeforeEach
    void setUp() {
        if (barrier != null) {
            return;
        }
        DataSource dataSource = dataSource();
        DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
        transactions = new TransactionTemplate(manager);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE msg_points (message_id VARCHAR(200) NOT NULL, user_id VARCHAR(64) NOT NULL, "
                + "points BIGINT NOT NULL)");
        points.jdbc = jdbc;
        barrier = new MessageBarrier(dataSource);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("points", points);
        MessageReceiverRegistry registry = new MessageReceiverRegistry(beans);
        registry.afterSingletonsInstantiated();
        dispatcher = new MessageDispatcher(registry, dataSource, manager, JsonMapper.builder().build());
    }

    private static String xid() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aCommittedLocalTransactionAnswersTheCheckBackCommitted() {
        String xid = xid();
        transactions.executeWithoutResult(status -> barrier.commitInCurrentTransaction(xid));

        assertThat(barrier.settle(xid)).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(barrier.settle(xid)).isEqualTo(GlobalStatus.COMMITTED);
    }

    @Test
    void aRolledBackLocalTransactionAnswersRolledBack() {
        String xid = xid();
        transactions.executeWithoutResult(status -> {
            barrier.commitInCurrentTransaction(xid);
            status.setRollbackOnly();
        });

        assertThat(barrier.settle(xid)).isEqualTo(GlobalStatus.ROLLED_BACK);
    }

    @Test
    void aCheckBackBeforeTheLocalTransactionMakesItFail() {
        String xid = xid();
        assertThat(barrier.settle(xid)).isEqualTo(GlobalStatus.ROLLED_BACK);

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> barrier.commitInCurrentTransaction(xid)))
                .isInstanceOf(MessageAbortedException.class);
        assertThat(barrier.settle(xid)).isEqualTo(GlobalStatus.ROLLED_BACK);
    }

    @Test
    void aCheckBackRacingARunningLocalTransactionWaitsForItsCommit() throws Exception {
        String xid = xid();
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> local = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            barrier.commitInCurrentTransaction(xid);
            written.countDown();
            await(release);
        }));
        assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<GlobalStatus> checkBack = CompletableFuture.supplyAsync(() -> barrier.settle(xid));
        // The check-back cannot answer while the local transaction holds the key; release it, then it answers.
        release.countDown();
        local.get(30, TimeUnit.SECONDS);

        assertThat(checkBack.get(30, TimeUnit.SECONDS)).isEqualTo(GlobalStatus.COMMITTED);
    }

    @Test
    void aRepeatedDeliveryRunsTheReceiverOnce() {
        MessageDelivery delivery = delivery("u-" + xid(), 1250);

        assertThat(dispatcher.dispatch("points", delivery)).isEqualTo(MessageDispatcher.Outcome.DONE);
        assertThat(dispatcher.dispatch("points", delivery)).isEqualTo(MessageDispatcher.Outcome.DUPLICATE);

        assertThat(pointsOf(delivery.messageId())).isEqualTo(1);
    }

    @Test
    void aReceiverThatThrowsLeavesNothingAndTheNextDeliveryRunsIt() {
        MessageDelivery delivery = delivery("u-" + xid(), 10);
        points.failNext = true;

        assertThatThrownBy(() -> dispatcher.dispatch("points", delivery)).isInstanceOf(IllegalStateException.class);
        assertThat(pointsOf(delivery.messageId())).isZero();

        assertThat(dispatcher.dispatch("points", delivery)).isEqualTo(MessageDispatcher.Outcome.DONE);
        assertThat(pointsOf(delivery.messageId())).isEqualTo(1);
    }

    private static MessageDelivery delivery(String userId, long points) {
        String xid = xid();
        return new MessageDelivery(MessageDelivery.messageId(xid, 7), xid, 7, "order-confirmed",
                "{\"userId\":\"" + userId + "\",\"points\":" + points + "}");
    }

    private int pointsOf(String messageId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM msg_points WHERE message_id = ?", Integer.class, messageId);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.flotilla.tx.tcc;

import io.flotilla.tx.tcc.FenceDecision.Action;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fence's rules on a real database; one subclass per engine. Each test uses fresh xids on a freshly
 * migrated fence table (the starter's own Flyway migration).
 */
abstract class TccFenceStoreContract {

    private final TccFenceStore fence = new TccFenceStore();

    /** A data source on a database where the fence migration has run. */
    abstract DataSource dataSource();

    /** The isolation level the concurrency test runs at: the strictest one the engine handles without aborts. */
    abstract int racingIsolation();

    private String xid() {
        return "xid-" + UUID.randomUUID();
    }

    @Test
    void confirmOfATriedBranchRunsOnceThenIsADuplicate() throws SQLException {
        String xid = xid();
        assertThat(recordTry(xid, "1", "[\"sku-1\",2]")).isTrue();

        FenceDecision first = confirm(xid, "1");
        assertThat(first.action()).isEqualTo(Action.RUN);
        assertThat(first.payload()).isEqualTo("[\"sku-1\",2]");
        assertThat(confirm(xid, "1").action()).isEqualTo(Action.DUPLICATE);
        assertThat(status(xid, "1")).isEqualTo(FenceStatus.CONFIRMED);
    }

    @Test
    void cancelOfATriedBranchRunsOnceAndAConfirmAfterItIsAConflict() throws SQLException {
        String xid = xid();
        recordTry(xid, "1", "[]");

        assertThat(cancel(xid, "1").action()).isEqualTo(Action.RUN);
        assertThat(cancel(xid, "1").action()).isEqualTo(Action.DUPLICATE);
        FenceDecision confirm = confirm(xid, "1");
        assertThat(confirm.action()).isEqualTo(Action.CONFLICT);
        assertThat(confirm.status()).isEqualTo(FenceStatus.CANCELLED);
    }

    @Test
    void cancelWithoutTryIsAnEmptyRollbackThatRefusesTheLateTry() throws SQLException {
        String xid = xid();
        // Disorder: the cancel is delivered twice before its try arrives.
        assertThat(cancel(xid, "7").action()).isEqualTo(Action.EMPTY);
        assertThat(cancel(xid, "7").action()).isEqualTo(Action.DUPLICATE);

        assertThat(recordTry(xid, "7", "[]")).isFalse();
        assertThat(status(xid, "7")).isEqualTo(FenceStatus.CANCELLED);
    }

    @Test
    void aTryThatFailedLeavesTheBranchCancellable() throws SQLException {
        String xid = xid();
        try (Connection connection = dataSource().getConnection()) {
            connection.setAutoCommit(false);
            assertThat(fence.recordTry(connection, xid, "1", "stock", "[]")).isTrue();
            connection.rollback(); // the business part of the try threw
        }
        assertThat(cancel(xid, "1").action()).isEqualTo(Action.EMPTY);
    }

    @Test
    void aSecondTryOfTheSameBranchIsRefused() throws SQLException {
        String xid = xid();
        assertThat(recordTry(xid, "1", "[]")).isTrue();
        assertThat(recordTry(xid, "1", "[]")).isFalse();
    }

    @Test
    void branchesOfOneTransactionAreFencedSeparately() throws SQLException {
        String xid = xid();
        recordTry(xid, "1", "[]");
        assertThat(cancel(xid, "2").action()).isEqualTo(Action.EMPTY);
        assertThat(confirm(xid, "1").action()).isEqualTo(Action.RUN);
    }

    @Test
    void finishedRowsCanBeDeletedWhileOpenOnesStay() throws SQLException {
        String finished = xid();
        String open = xid();
        recordTry(finished, "1", "[]");
        confirm(finished, "1");
        recordTry(open, "1", "[]");

        // A cutoff a day ahead is past every row whatever the session's time zone.
        Integer deleted = inTransaction(c -> fence.deleteFinishedBefore(c, Instant.now().plus(Duration.ofDays(1))));

        assertThat(deleted).isPositive();
        assertThat(status(finished, "1")).isNull();
        assertThat(status(open, "1")).isEqualTo(FenceStatus.TRIED);
    }

    /**
     * A try and two cancels of the same branch race, each holding its transaction open for a moment after the
     * fence statement: whatever the interleaving, nothing deadlocks, exactly one cancel acts (compensating a
     * committed try, or recording an empty rollback that refused the try) and the other is a duplicate.
     */
    @Test
    void racingTryAndCancelsNeverDeadlockAndAgreeOnOneOutcome() throws Exception {
        int branches = 40;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < branches; i++) {
                String xid = xid();
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> tryRacer = pool.submit(racer(go, c -> fence.recordTry(c, xid, "1", "stock", "[]")));
                Future<Action> cancelRacer = pool.submit(racer(go, c -> fence.cancel(c, xid, "1", "stock").action()));
                Future<Action> otherCancelRacer = pool.submit(racer(go, c -> fence.cancel(c, xid, "1", "stock").action()));
                go.countDown();
                outcomes.add(pool.submit(() -> new Outcome(xid, tryRacer.get(60, TimeUnit.SECONDS),
                        List.of(cancelRacer.get(60, TimeUnit.SECONDS), otherCancelRacer.get(60, TimeUnit.SECONDS)))));
            }
            for (Future<Outcome> future : outcomes) {
                Outcome outcome = future.get(120, TimeUnit.SECONDS);
                assertThat(outcome.cancels()).as(outcome.toString()).contains(Action.DUPLICATE);
                Action acting = outcome.cancels().get(0) == Action.DUPLICATE ? outcome.cancels().get(1) : outcome.cancels().get(0);
                if (outcome.tried()) {
                    // The try committed before both cancels: one of them compensated it.
                    assertThat(acting).as(outcome.toString()).isEqualTo(Action.RUN);
                } else {
                    assertThat(acting).as(outcome.toString()).isEqualTo(Action.EMPTY);
                }
                assertThat(status(outcome.xid(), "1")).isEqualTo(FenceStatus.CANCELLED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private record Outcome(String xid, boolean tried, List<Action> cancels) {
    }

    private <T> Callable<T> racer(CountDownLatch go, SqlWork<T> work) {
        return () -> {
            go.await();
            try (Connection connection = dataSource().getConnection()) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(racingIsolation());
                T result = work.run(connection);
                Thread.sleep(5); // keep the row locked while the others arrive
                connection.commit();
                return result;
            }
        };
    }

    private boolean recordTry(String xid, String branchId, String payload) throws SQLException {
        Boolean recorded = inTransaction(c -> fence.recordTry(c, xid, branchId, "stock", payload));
        return recorded;
    }

    private FenceDecision confirm(String xid, String branchId) throws SQLException {
        return inTransaction(c -> fence.confirm(c, xid, branchId, "stock"));
    }

    private FenceDecision cancel(String xid, String branchId) throws SQLException {
        return inTransaction(c -> fence.cancel(c, xid, branchId, "stock"));
    }

    private FenceStatus status(String xid, String branchId) throws SQLException {
        return inTransaction(c -> fence.status(c, xid, branchId));
    }

    <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

}

package io.flotilla.tx.xa;

import io.flotilla.testsupport.time.ManualClock;
import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.BranchBatchResult;
import io.flotilla.tx.web.PhaseTwoBatchController;
import io.flotilla.tx.web.XaParticipantController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.XADataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** XA branches on a real database; one subclass per engine. */
abstract class XaResourceManagerContract {

    private final List<XaResourceManager> managers = new ArrayList<>();
    final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private XaResourceManager resources;
    private String tag;

    abstract XADataSource xaDataSource();

    abstract Connection connect() throws SQLException;

    /** The server's id of the session a connection is on (PostgreSQL's backend pid, MariaDB's connection id). */
    abstract long sessionId(Connection connection) throws SQLException;

    /** Whether the engine can end a session from another one (PostgreSQL and MariaDB can, H2 cannot). */
    boolean canKillSessions() {
        return false;
    }

    /** Ends a session from another one, as a server restart or a DBA would; only where {@link #canKillSessions()}. */
    void killSession(long sessionId) throws SQLException {
        throw new UnsupportedOperationException("this engine cannot end another session");
    }

    /**
     * Whether the engine lists prepared branches ({@code XA RECOVER}) and reports unknown ones
     * ({@code XAER_NOTA}). PostgreSQL and MariaDB do; H2 lists in-doubt transactions only after a restart of a
     * file database and accepts a commit or rollback of any name.
     */
    boolean fullXaRecovery() {
        return true;
    }

    @BeforeEach
    void createAccounts() throws SQLException {
        tag = "test-" + UUID.randomUUID().toString().substring(0, 8);
        resources = manager(tag, XaConnectionPool.Settings.DEFAULTS);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS account (id INT PRIMARY KEY, balance INT NOT NULL)");
            statement.execute("DELETE FROM account");
            statement.execute("INSERT INTO account (id, balance) VALUES (1, 100)");
        }
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(XaResourceManager::close);
    }

    XaResourceManager manager(String tag, XaConnectionPool.Settings pool) {
        XaResourceManager manager = new XaResourceManager(xaDataSource(), tag, pool, clock);
        managers.add(manager);
        return manager;
    }

    /** A manager on the engine's data source wrapped to count the physical connections it opens. */
    XaResourceManager manager(CountingXaDataSource counting, String tag, XaConnectionPool.Settings pool) {
        XaResourceManager manager = new XaResourceManager(counting,
                XaResourceManager.PreparedBranches.of(counting.driver()), tag, pool, clock);
        managers.add(manager);
        return manager;
    }

    static XaConnectionPool.Settings poolOf(int maxSize) {
        return new XaConnectionPool.Settings(maxSize, Duration.ofMinutes(1), Duration.ofSeconds(10), 64,
                Duration.ofSeconds(30), 2);
    }

    /** A pool whose branches never wait for a connection: one that would have to wait fails at once instead. */
    static XaConnectionPool.Settings noWaitingPoolOf(int maxSize, int maxHeld) {
        return new XaConnectionPool.Settings(maxSize, Duration.ofMinutes(1), Duration.ZERO, maxHeld,
                Duration.ofSeconds(30), 2);
    }

    @Test
    void aPreparedBranchIsInvisibleUntilCommittedFromAnotherConnection() throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        prepareDebit(xid, "1", 30);

        assertThat(balance()).isEqualTo(100);
        if (fullXaRecovery()) {
            assertThat(resources.recover()).extracting(FlotillaXid::xid).contains(xid);
        }

        assertThat(resources.commit(xid, "1")).isTrue();
        assertThat(balance()).isEqualTo(70);
        resources.commit(xid, "1");
        assertThat(balance()).as("a repeated commit changes nothing").isEqualTo(70);
        if (fullXaRecovery()) {
            assertThat(resources.commit(xid, "1")).as("a repeated commit finds nothing and succeeds").isFalse();
            assertThat(resources.recover()).extracting(FlotillaXid::xid).doesNotContain(xid);
        }
    }

    @Test
    void aPreparedBranchRollsBackFromAnotherConnection() throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        prepareDebit(xid, "1", 30);

        assertThat(resources.rollback(xid, "1")).isTrue();
        assertThat(balance()).isEqualTo(100);
        resources.rollback(xid, "1");
        if (fullXaRecovery()) {
            assertThat(resources.rollback(xid, "1")).isFalse();
        }
    }

    @Test
    void aRollbackOfABranchThatNeverStartedIsEmpty() {
        boolean rolledBack = resources.rollback("xid-" + UUID.randomUUID(), "9");
        if (fullXaRecovery()) {
            assertThat(rolledBack).isFalse();
        }
    }

    @Test
    void aBranchWhoseRollbackCameFirstIsRolledBackAtItsPrepare() throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        // The initiator gave up on the branch call and rolled back while the branch's work was still running.
        resources.rollback(xid, "1");
        XaResourceManager.OpenBranch branch = resources.start(xid, "1");
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("UPDATE account SET balance = balance - 30 WHERE id = 1");
        }

        assertThatThrownBy(branch::prepare).isInstanceOf(XaBranchException.class);

        assertThat(balance()).isEqualTo(100);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(10);
            assertThat(statement.executeUpdate("UPDATE account SET balance = balance + 1 WHERE id = 1"))
                .as("the row is not locked by a forgotten prepared branch").isEqualTo(1);
        }
        if (fullXaRecovery()) {
            assertThat(resources.recover()).extracting(FlotillaXid::xid).doesNotContain(xid);
        }
    }

    @Test
    void abandonedWorkLeavesNothingPrepared() throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        XaResourceManager.OpenBranch branch = resources.start(xid, "1");
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("UPDATE account SET balance = balance - 5 WHERE id = 1");
        }
        branch.abandon();

        assertThat(balance()).isEqualTo(100);
        assertThat(resources.recover()).extracting(FlotillaXid::xid).doesNotContain(xid);
    }

    @Test
    void recoveryOnlySeesBranchesWithItsOwnTag() throws SQLException {
        XaResourceManager other = manager(tag + "-other", XaConnectionPool.Settings.DEFAULTS);
        String xid = "xid-" + UUID.randomUUID();
        prepareDebit(xid, "1", 1);
        try {
            assertThat(other.recover()).extracting(FlotillaXid::xid).doesNotContain(xid);
            // H2 lists no prepared branches at all (they live and die with their connection), so there only the
            // other tag's blindness is checked.
            if (fullXaRecovery()) {
                assertThat(resources.recover()).extracting(FlotillaXid::xid).contains(xid);
            }
        } finally {
            resources.rollback(xid, "1");
        }
    }

    @Test
    void branchesAndTheirPhaseTwoReuseOnePhysicalConnection() throws SQLException {
        XaResourceManager pooled = manager(tag, poolOf(2));
        Set<Long> sessions = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String xid = "xid-" + UUID.randomUUID();
            sessions.add(prepareDebit(pooled, xid, "1", 1));
            assertThat(pooled.commit(xid, "1")).isTrue();
        }

        assertThat(sessions).as("one session served all ten branches one after the other").hasSize(1);
        assertThat(balance()).isEqualTo(90);
    }

    /**
     * The case that collapsed the Seata XA benchmark at 32 clients (#19): on MariaDB a connection is held for every
     * prepared branch until its phase two, and the initiator's next branches arrive before that phase two. Held
     * connections are outside {@code max-size}: three times as many branches as {@code max-size} are prepared
     * one after another, none waits (the acquire timeout is zero, so waiting would fail), none closes another's
     * session, and every phase two finishes its branch at the first call (a closed session would answer "try again").
     */
    @Test
    void moreBranchesPreparedThanMaxSizeNeitherWaitNorCloseEachOthersSessions() throws SQLException {
        XaResourceManager pooled = manager(tag, noWaitingPoolOf(2, 64));
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (int id = 10; id < 16; id++) {
                statement.execute("INSERT INTO account (id, balance) VALUES (" + id + ", 0)");
            }
        }
        List<String> xids = new ArrayList<>();
        Set<Long> sessions = new HashSet<>();
        for (int id = 10; id < 16; id++) {
            String xid = "xid-" + UUID.randomUUID();
            XaResourceManager.OpenBranch branch = pooled.start(xid, "1");
            sessions.add(sessionId(branch.connection()));
            try (Statement statement = branch.connection().createStatement()) {
                statement.executeUpdate("UPDATE account SET balance = balance + 1 WHERE id = " + id);
            }
            assertThat(branch.prepare()).isTrue();
            xids.add(xid);
        }
        if (canKillSessions()) {
            for (long session : sessions) {
                assertThat(sessionAlive(session)).as("session %d, before its phase two", session).isTrue();
            }
        }

        for (String xid : xids) {
            assertThat(pooled.commit(xid, "1")).as("phase two of %s at the first call", xid).isTrue();
        }

        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet sum = statement.executeQuery("SELECT sum(balance) FROM account WHERE id >= 10")) {
            sum.next();
            assertThat(sum.getInt(1)).isEqualTo(6);
        }
        if (fullXaRecovery()) {
            assertThat(pooled.recover()).isEmpty();
        }
    }

    /**
     * The case that kept Flotilla's XA at 0.20x of Seata at 32 clients (#19): branch work held every connection of
     * {@code max-size}, so each phase-two call of a batch (run concurrently, as the batch endpoint runs them) opened
     * one more session (a PostgreSQL backend fork) and closed it again. Now a batch shares the phase-two connections
     * ({@code phase-two-size}, here 1: the batch's calls run one after the other on one session) and opens no more
     * than those; they stay open for the next batch. Each call is still answered for itself: a branch committed
     * before and one never prepared are "duplicate", the others "done".
     */
    @Test
    void aPhaseTwoBatchWhileBranchWorkHoldsThePoolOpensNoSessionBeyondPhaseTwoSize() throws Exception {
        CountingXaDataSource counting = new CountingXaDataSource(xaDataSource());
        XaResourceManager pooled = manager(counting, tag, new XaConnectionPool.Settings(2, Duration.ofMinutes(1),
                Duration.ofSeconds(10), 64, Duration.ofSeconds(30), 1));
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (int id = 10; id < 18; id++) {
                statement.execute("INSERT INTO account (id, balance) VALUES (" + id + ", 0)");
            }
        }
        List<String> prepared = new ArrayList<>();
        for (int id = 10; id < 18; id++) {
            String xid = "xid-" + UUID.randomUUID();
            XaResourceManager.OpenBranch branch = pooled.start(xid, "1");
            try (Statement statement = branch.connection().createStatement()) {
                statement.executeUpdate("UPDATE account SET balance = balance + 1 WHERE id = " + id);
            }
            assertThat(branch.prepare()).isTrue();
            prepared.add(xid);
        }
        String committedBefore = prepared.getFirst();
        assertThat(pooled.commit(committedBefore, "1")).isTrue();
        String neverPrepared = "xid-" + UUID.randomUUID();
        XaResourceManager.OpenBranch busy = pooled.start("xid-" + UUID.randomUUID(), "1");
        XaResourceManager.OpenBranch alsoBusy = pooled.start("xid-" + UUID.randomUUID(), "1");
        int openedBefore = counting.opened();

        List<BranchBatch.Call> calls = new ArrayList<>();
        for (String xid : prepared) {
            calls.add(new BranchBatch.Call("/flotilla/tx/xa/ledger/commit", xid, 1));
        }
        calls.add(new BranchBatch.Call("/flotilla/tx/xa/ledger/commit", neverPrepared, 1));
        BranchBatchResult result = new PhaseTwoBatchController(null, new XaParticipantController(pooled))
                .batch(new BranchBatch(calls));

        assertThat(counting.opened() - openedBefore)
                .as("sessions opened by a batch of %d while branch work holds max-size", calls.size())
                .isLessThanOrEqualTo(1);
        assertThat(result.outcomes()).extracting(BranchBatchResult.Outcome::xid)
                .containsExactlyElementsOf(calls.stream().map(BranchBatch.Call::xid).toList());
        assertThat(result.outcomes()).allSatisfy(outcome -> assertThat(outcome.status()).isEqualTo(200));
        for (BranchBatchResult.Outcome outcome : result.outcomes()) {
            boolean finishedBefore = outcome.xid().equals(committedBefore) || outcome.xid().equals(neverPrepared);
            assertThat(outcome.outcome()).as(outcome.xid()).isEqualTo(finishedBefore ? "duplicate" : "done");
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet sum = statement.executeQuery("SELECT sum(balance) FROM account WHERE id >= 10")) {
            sum.next();
            assertThat(sum.getInt(1)).isEqualTo(8);
        }

        int openedAfterBatch = counting.opened();
        assertThat(pooled.commit("xid-" + UUID.randomUUID(), "1")).isFalse();
        assertThat(counting.opened()).as("the phase-two connection stayed open for the next call")
                .isEqualTo(openedAfterBatch);
        busy.abandon();
        alsoBusy.abandon();
        if (fullXaRecovery()) {
            assertThat(pooled.recover()).isEmpty();
        }
    }

    /** {@code max-size} still bounds branch work: with that many branches running, the next one waits (here: fails). */
    @Test
    void maxSizeBoundsTheBranchesAtWorkAndAPreparedOneMakesRoom() throws SQLException {
        XaResourceManager pooled = manager(tag, noWaitingPoolOf(2, 64));
        XaResourceManager.OpenBranch first = pooled.start("xid-" + UUID.randomUUID(), "1");
        XaResourceManager.OpenBranch second = pooled.start("xid-" + UUID.randomUUID(), "1");

        assertThatThrownBy(() -> pooled.start("xid-" + UUID.randomUUID(), "1"))
                .isInstanceOf(XaBranchException.class).hasMessageContaining("max-size");

        try (Statement statement = first.connection().createStatement()) {
            statement.executeUpdate("UPDATE account SET balance = balance - 1 WHERE id = 1");
        }
        assertThat(first.prepare()).isTrue();
        XaResourceManager.OpenBranch third = pooled.start("xid-" + UUID.randomUUID(), "1");
        third.abandon();
        second.abandon();
        assertThat(pooled.commit(first.xid().xid(), "1")).isTrue();
        assertThat(balance()).isEqualTo(99);
    }

    @Test
    void aConnectionIdleLongerThanTheIdleTimeoutIsClosedNotReused() throws SQLException {
        XaResourceManager pooled = manager(tag, poolOf(2));
        long first = prepareAndCommit(pooled);
        clock.advance(Duration.ofSeconds(30));
        assertThat(prepareAndCommit(pooled)).as("idle for less than the timeout: reused").isEqualTo(first);

        clock.advance(Duration.ofMinutes(2));
        long afterIdle = prepareAndCommit(pooled);

        assertThat(afterIdle).isNotEqualTo(first);
        awaitSessionGone(first);
    }

    @Test
    void aConnectionKilledWhileIdleIsReplacedBeforeItServesABranch() throws SQLException {
        XaResourceManager pooled = manager(tag, poolOf(2));
        long killed = prepareAndCommit(pooled);
        assumeTrue(canKillSessions(), "the engine cannot end another session");
        killSession(killed);
        awaitSessionGone(killed);
        clock.advance(XaConnectionPool.VALIDATE_AFTER);

        long next = prepareAndCommit(pooled);

        assertThat(next).isNotEqualTo(killed);
        assertThat(balance()).isEqualTo(98);
    }

    @Test
    void aConnectionThatFailedIsClosedAndTheNextBranchGetsAWorkingOne() throws SQLException {
        XaResourceManager pooled = manager(tag, poolOf(1));
        long killed = prepareAndCommit(pooled);
        assumeTrue(canKillSessions(), "the engine cannot end another session");
        killSession(killed);
        awaitSessionGone(killed);

        // Reused at once (no check): the branch fails somewhere between START and PREPARE, as the interceptor sees it.
        String failedXid = "xid-" + UUID.randomUUID();
        assertThatThrownBy(() -> {
            XaResourceManager.OpenBranch branch = pooled.start(failedXid, "1");
            try (Statement statement = branch.connection().createStatement()) {
                statement.executeUpdate("UPDATE account SET balance = balance - 50 WHERE id = 1");
            } catch (SQLException e) {
                branch.abandon();
                throw e;
            }
            branch.prepare();
        }).isInstanceOfAny(SQLException.class, XaBranchException.class);

        long next = prepareAndCommit(pooled);
        assertThat(next).isNotEqualTo(killed);
        assertThat(balance()).isEqualTo(98);
    }

    @Test
    void closingTheManagerClosesItsConnections() throws SQLException {
        XaResourceManager pooled = manager(tag, poolOf(2));
        long session = prepareAndCommit(pooled);

        pooled.close();

        awaitSessionGone(session);
        assertThatThrownBy(() -> pooled.start("xid-" + UUID.randomUUID(), "1"))
                .isInstanceOf(XaBranchException.class).hasMessageContaining("closed");
    }

    /** One branch debiting 1, prepared and committed; returns the session it ran on. */
    long prepareAndCommit(XaResourceManager manager) throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        long session = prepareDebit(manager, xid, "1", 1);
        assertThat(manager.commit(xid, "1")).isTrue();
        return session;
    }

    /** The server ends a closed or killed session shortly after; waits (10 s at most) until it has. */
    void awaitSessionGone(long session) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sessionAlive(session)) {
            assertThat(System.nanoTime()).as("session " + session + " still open after 10 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Whether the server still has the session; only engines that can list sessions override it. */
    boolean sessionAlive(long session) throws SQLException {
        return false;
    }

    private void prepareDebit(String xid, String branchId, int amount) throws SQLException {
        prepareDebit(resources, xid, branchId, amount);
    }

    /** Debits account 1 in a prepared branch; returns the session the branch ran on. */
    long prepareDebit(XaResourceManager manager, String xid, String branchId, int amount) throws SQLException {
        XaResourceManager.OpenBranch branch = manager.start(xid, branchId);
        long session = sessionId(branch.connection());
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("UPDATE account SET balance = balance - " + amount + " WHERE id = 1");
        }
        assertThat(branch.prepare()).isTrue();
        return session;
    }

    int balance() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT balance FROM account WHERE id = 1")) {
            row.next();
            return row.getInt(1);
        }
    }
}

package io.flotilla.tx.xa;

import org.junit.jupiter.api.Test;

import javax.sql.XADataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class H2XaResourceManagerTests extends XaResourceManagerContract {

    private final String url = "jdbc:h2:mem:xa-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    XADataSource xaDataSource() {
        return XaDataSources.forUrl(url, "sa", "");
    }

    @Override
    boolean fullXaRecovery() {
        return false;
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    @Override
    long sessionId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT SESSION_ID()")) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * H2 rolls a prepared branch back when its session ends, so a held connection is never closed to make room: with
     * {@code max-held} branches held, the next branch waits and then fails instead.
     */
    @Test
    void maxHeldHeldBranchesMakeTheNextBranchFailAfterTheAcquireTimeout() throws SQLException {
        XaResourceManager pooled = manager("h2-" + UUID.randomUUID().toString().substring(0, 8),
                new XaConnectionPool.Settings(1, Duration.ofMinutes(1), Duration.ofMillis(300), 1,
                        Duration.ofSeconds(30), 2));
        String held = "xid-" + UUID.randomUUID();
        prepareDebit(pooled, held, "1", 30);

        assertThatThrownBy(() -> pooled.start("xid-" + UUID.randomUUID(), "1"))
                .isInstanceOf(XaBranchException.class).hasMessageContaining("max-held");

        assertThat(pooled.commit(held, "1")).isTrue();
        assertThat(balance()).isEqualTo(70);
        prepareAndCommit(pooled);
        assertThat(balance()).isEqualTo(69);
    }

    /** Nor is an H2 connection closed past the held timeout: its branch would be rolled back, not kept. */
    @Test
    void aBranchHeldPastTheHeldTimeoutIsNotClosedOnH2() throws SQLException {
        XaResourceManager pooled = manager("h2-" + UUID.randomUUID().toString().substring(0, 8), poolOf(2));
        String held = "xid-" + UUID.randomUUID();
        prepareDebit(pooled, held, "1", 30);
        clock.advance(Duration.ofMinutes(5));
        String next = "xid-" + UUID.randomUUID();
        XaResourceManager.OpenBranch branch = pooled.start(next, "1");
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("INSERT INTO account (id, balance) VALUES (2, 5)");
        }
        assertThat(branch.prepare()).isTrue();
        assertThat(pooled.commit(next, "1")).isTrue();

        assertThat(pooled.commit(held, "1")).as("still held, committed on its connection").isTrue();
        assertThat(balance()).isEqualTo(70);
    }
}

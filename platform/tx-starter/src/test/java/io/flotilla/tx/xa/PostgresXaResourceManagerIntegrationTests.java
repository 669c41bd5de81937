package io.flotilla.tx.xa;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.XADataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Needs max_prepared_transactions &gt; 0 (scripts/prepare-test-servers.sh sets 64). */
@ExtendWith(DatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresXaResourceManagerIntegrationTests extends XaResourceManagerContract {

    private TestDatabase database;

    @BeforeAll
    void database(@Db(DatabaseEngine.POSTGRESQL) TestDatabase database) {
        this.database = database;
    }

    @Override
    XADataSource xaDataSource() {
        return XaDataSources.forUrl(database.jdbcUrl(), database.username(), database.password());
    }

    @Override
    Connection connect() throws SQLException {
        return database.connect();
    }

    @Override
    long sessionId(Connection connection) throws SQLException {
        return queryLong(connection, "SELECT pg_backend_pid()");
    }

    @Override
    boolean canKillSessions() {
        return true;
    }

    @Override
    void killSession(long sessionId) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement kill = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            kill.setInt(1, (int) sessionId);
            try (ResultSet result = kill.executeQuery()) {
                assertThat(result.next() && result.getBoolean(1)).as("pg_terminate_backend(%d)", sessionId).isTrue();
            }
        }
    }

    @Override
    boolean sessionAlive(long sessionId) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement alive = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            alive.setInt(1, (int) sessionId);
            try (ResultSet result = alive.executeQuery()) {
                return result.next() && result.getLong(1) > 0;
            }
        }
    }

    /** PostgreSQL detaches a prepared branch from its session: the next branch runs on that session at once. */
    @Test
    void aPreparedBranchFreesItsSessionForTheNextBranchAtOnce() throws SQLException {
        XaResourceManager pooled = manager("detached-" + UUID.randomUUID().toString().substring(0, 8), poolOf(1));
        String first = "xid-" + UUID.randomUUID();
        long preparedOn = prepareDebit(pooled, first, "1", 30);

        String second = "xid-" + UUID.randomUUID();
        XaResourceManager.OpenBranch branch = pooled.start(second, "1");
        long nextOn = sessionId(branch.connection());
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("INSERT INTO account (id, balance) VALUES (2, 5)");
        }
        assertThat(branch.prepare()).isTrue();
        assertThat(pooled.commit(first, "1")).isTrue();
        assertThat(pooled.commit(second, "1")).isTrue();

        assertThat(nextOn).isEqualTo(preparedOn);
        assertThat(balance()).isEqualTo(70);
    }

    private static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}

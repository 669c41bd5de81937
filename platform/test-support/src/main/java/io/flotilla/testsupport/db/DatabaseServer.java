package io.flotilla.testsupport.db;

import io.flotilla.testsupport.ServerLocation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A running PostgreSQL or MariaDB server on which tests may create and drop databases. Obtain one from
 * {@link DatabaseServers}; each test then takes its own {@link TestDatabase}.
 *
 * @param serverUrl JDBC URL of a database that always exists on the server (used to run CREATE/DROP)
 */
public record DatabaseServer(DatabaseEngine engine, String serverUrl, String username, String password,
                             ServerLocation location) {

    /** Creates a database with a fresh unique name; close the result to drop it. */
    public TestDatabase createDatabase() {
        String name = "flotilla_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(engine.createStatement(name));
        return new TestDatabase(this, name, engine.databaseUrl(serverUrl, name));
    }

    void drop(String name) {
        execute(engine.dropStatement(name));
    }

    Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    private void execute(String sql) {
        try (Connection connection = connect(serverUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(engine.displayName() + " at " + serverUrl + " refused: " + sql, e);
        }
    }
}

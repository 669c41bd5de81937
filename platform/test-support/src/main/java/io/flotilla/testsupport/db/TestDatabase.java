package io.flotilla.testsupport.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database created for one test (or one test class) and dropped when closed, so tests never see each
 * other's rows and can run in any order.
 */
public final class TestDatabase implements AutoCloseable {

    private final DatabaseServer server;
    private final String name;
    private final String jdbcUrl;

    TestDatabase(DatabaseServer server, String name, String jdbcUrl) {
        this.server = server;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
    }

    public DatabaseEngine engine() {
        return server.engine();
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return server.username();
    }

    public String password() {
        return server.password();
    }

    public Connection connect() throws SQLException {
        return server.connect(jdbcUrl);
    }

    @Override
    public void close() {
        server.drop(name);
    }

    @Override
    public String toString() {
        return server.engine().displayName() + " database " + name + " (" + jdbcUrl + ", via " + server.location() + ")";
    }
}

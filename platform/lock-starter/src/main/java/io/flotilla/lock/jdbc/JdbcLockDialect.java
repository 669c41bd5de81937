package io.flotilla.lock.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import io.flotilla.lock.core.LockBackendException;

/**
 * What differs between the databases the JDBC backend runs on: how each reads its own clock, and how the statement
 * that takes a lock hands back the row's token in the same round trip. Leases are stored as epoch milliseconds
 * computed by the clock expression, so every expiry is judged by the database's clock and never by a client's: two
 * clients whose clocks disagree still agree on whether a lease has run out.
 */
public enum JdbcLockDialect {

    /** PostgreSQL: the statement's start time (one value per statement, fresh for each); {@code RETURNING}. */
    POSTGRESQL("CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)") {
        @Override
        String returningToken(String update) {
            return update + " RETURNING token";
        }
    },

    /**
     * MariaDB (and MySQL): UTC wall time, as plain arithmetic so the session time zone cannot shift it. No
     * {@code UPDATE ... RETURNING}: the update stores the token in a session variable, read right after on the same
     * connection.
     */
    MARIADB("(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)") {
        @Override
        String tokenAssignment(String expression) {
            return "(@flotilla_lock_token := " + expression + ")";
        }

        @Override
        String tokenQuery() {
            return "SELECT @flotilla_lock_token";
        }
    },

    /**
     * H2: its time-zone-aware current timestamp; {@code FINAL TABLE}. In server or AUTO_SERVER mode every client's
     * SQL runs in the process that opened the file first, so they all read that process's clock.
     */
    H2("CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)") {
        @Override
        String returningToken(String update) {
            return "SELECT token FROM FINAL TABLE (" + update + ")";
        }
    };

    private final String nowMillis;

    JdbcLockDialect(String nowMillis) {
        this.nowMillis = nowMillis;
    }

    /** SQL expression of the database's current time in epoch milliseconds. */
    public String nowMillis() {
        return nowMillis;
    }

    /** The new token's expression as the take's {@code SET} clause assigns it. */
    String tokenAssignment(String expression) {
        return expression;
    }

    /** A query answering the token of the row {@code update} changed, or null when {@link #tokenQuery} is needed. */
    String returningToken(String update) {
        return null;
    }

    /** Run after a take that changed one row, on the same connection: that row's token. */
    String tokenQuery() {
        throw new UnsupportedOperationException(name() + " returns the token from the take itself");
    }

    /** The dialect of the database behind {@code dataSource}, from its product name. */
    public static JdbcLockDialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new LockBackendException("cannot reach the lock database: " + e.getMessage(), e);
        }
    }

    static JdbcLockDialect of(String productName) {
        String product = productName.toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        if (product.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("flotilla.lock.backend=jdbc supports PostgreSQL, MariaDB/MySQL and H2, not "
                + productName);
    }
}

package io.flotilla.lock.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import io.flotilla.lock.core.LockBackendException;

/**
 * What differs between the databases the JDBC backend runs on: only how each reads its own clock. Leases are
 * stored as epoch milliseconds computed by that expression, so every expiry is judged by the database's clock and
 * never by a client's: two clients whose clocks disagree still agree on whether a lease has run out.
 */
public enum JdbcLockDialect {

    /** PostgreSQL: the statement's start time (one value per statement, fresh for each statement). */
    POSTGRESQL("CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)"),

    /** MariaDB (and MySQL): UTC wall time, as plain arithmetic so the session time zone cannot shift it. */
    MARIADB("(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)"),

    /**
     * H2: its time-zone-aware current timestamp. In server or AUTO_SERVER mode every client's SQL runs in the
     * process that opened the file first, so they all read that process's clock.
     */
    H2("CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)");

    private final String nowMillis;

    JdbcLockDialect(String nowMillis) {
        this.nowMillis = nowMillis;
    }

    /** SQL expression of the database's current time in epoch milliseconds. */
    public String nowMillis() {
        return nowMillis;
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

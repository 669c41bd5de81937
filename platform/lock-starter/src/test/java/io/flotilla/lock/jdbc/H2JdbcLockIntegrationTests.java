package io.flotilla.lock.jdbc;

import org.junit.jupiter.api.BeforeEach;

/**
 * The JDBC lock contract on an H2 file database in {@code AUTO_SERVER} mode: this JVM opens the file first (its pool
 * keeps a connection), so it serves the database to the contender and holder processes over TCP, as the first
 * lock-service replica on a shared file would.
 */
class H2JdbcLockIntegrationTests extends JdbcLockContract {

    @BeforeEach
    void openDatabase() {
        open("jdbc:h2:file:" + tmp.resolve("locks").toAbsolutePath() + ";AUTO_SERVER=TRUE", "sa", "");
    }

    @Override
    String farEastTimeZoneSql() {
        return "SET TIME ZONE '+14:00'";
    }
}

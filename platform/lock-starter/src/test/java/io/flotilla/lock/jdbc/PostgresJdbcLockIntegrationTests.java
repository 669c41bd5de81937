package io.flotilla.lock.jdbc;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JDBC lock contract on the real PostgreSQL server, a database per test. */
@ExtendWith(DatabaseExtension.class)
class PostgresJdbcLockIntegrationTests extends JdbcLockContract {

    @BeforeEach
    void openDatabase(@Db(DatabaseEngine.POSTGRESQL) TestDatabase database) {
        open(database.jdbcUrl(), database.username(), database.password());
    }

    @Override
    String farEastTimeZoneSql() {
        return "SET TIME ZONE 'Pacific/Kiritimati'";
    }
}

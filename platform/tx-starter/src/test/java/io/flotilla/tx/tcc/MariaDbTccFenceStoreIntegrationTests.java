package io.flotilla.tx.tcc;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.sql.Connection;

@ExtendWith(DatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbTccFenceStoreIntegrationTests extends TccFenceStoreContract {

    private DataSource dataSource;

    @BeforeAll
    void migrate(@Db(DatabaseEngine.MARIADB) TestDatabase database) {
        dataSource = new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password());
        FenceSchema.migrate(dataSource);
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    /** InnoDB's default, where Seata's select-for-update fence deadlocks on gap locks. */
    @Override
    int racingIsolation() {
        return Connection.TRANSACTION_REPEATABLE_READ;
    }
}

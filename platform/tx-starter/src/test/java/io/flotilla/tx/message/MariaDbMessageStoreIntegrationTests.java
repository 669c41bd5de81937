package io.flotilla.tx.message;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.tx.tcc.FenceSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;

@ExtendWith(DatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbMessageStoreIntegrationTests extends MessageStoreContract {

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
}

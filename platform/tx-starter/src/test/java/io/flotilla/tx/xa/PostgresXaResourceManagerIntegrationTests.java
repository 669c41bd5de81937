package io.flotilla.tx.xa;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.XADataSource;
import java.sql.Connection;
import java.sql.SQLException;

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
}

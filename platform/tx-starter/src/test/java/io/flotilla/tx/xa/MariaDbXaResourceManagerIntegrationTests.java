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

/** MariaDB keeps a prepared XA transaction when its connection closes (10.5.2 and later). */
@ExtendWith(DatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbXaResourceManagerIntegrationTests extends XaResourceManagerContract {

    private TestDatabase database;

    @BeforeAll
    void database(@Db(DatabaseEngine.MARIADB) TestDatabase database) {
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

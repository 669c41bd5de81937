package io.flotilla.id.segment;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on a real MariaDB, a fresh database per test. */
@ExtendWith(DatabaseExtension.class)
class MariaDbSegmentStoreTests extends SegmentStoreContract {

    private TestDatabase database;

    @BeforeEach
    void database(@Db(DatabaseEngine.MARIADB) TestDatabase database) {
        this.database = database;
    }

    @Override
    String[] database() {
        return new String[] { database.jdbcUrl(), database.username(), database.password() };
    }
}

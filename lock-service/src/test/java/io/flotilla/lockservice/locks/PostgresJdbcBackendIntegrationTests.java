package io.flotilla.lockservice.locks;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseServers;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service on the real PostgreSQL server through {@code spring.datasource.*}, in a database of its own. */
class PostgresJdbcBackendIntegrationTests extends JdbcBackendContract {

    static final TestDatabase database = DatabaseServers.server(DatabaseEngine.POSTGRESQL).createDatabase();

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry properties) {
        properties.add("spring.datasource.url", database::jdbcUrl);
        properties.add("spring.datasource.username", database::username);
        properties.add("spring.datasource.password", () -> database.password() == null ? "" : database.password());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }
}

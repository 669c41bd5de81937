package io.flotilla.inventory;

import io.flotilla.testsupport.db.DatabaseServers;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.testsupport.process.TestCoordinator;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Gives each test context a database of its own on the real PostgreSQL server, dropped when the context closes, and
 * points the tx starter at the test coordinator.
 */
public class PostgresDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase database = DatabaseServers.postgres().createDatabase();
        TestPropertyValues.of("spring.datasource.url=" + database.jdbcUrl(),
                "spring.datasource.username=" + database.username(),
                "spring.datasource.password=" + (database.password() == null ? "" : database.password()),
                "spring.datasource.hikari.maximum-pool-size=5",
                "flotilla.tx.coordinator.addresses=" + TestCoordinator.shared().url(),
                "flotilla.tx.participant.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
                "flotilla.registry.enabled=false")
            .applyTo(context);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                database.close();
            }
        });
    }
}

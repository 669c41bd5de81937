package io.flotilla.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.flotilla.inventory.InventoryServiceApplication;
import io.flotilla.testsupport.db.DatabaseServers;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.testsupport.redis.RedisServers;
import io.flotilla.testsupport.redis.TestRedis;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Gives an order-service test context a real inventory-service next to it: started in this JVM on a free port with
 * its own PostgreSQL database, and found by order-service through Spring Cloud's simple discovery (the registry has its own process test). order-service gets a
 * PostgreSQL database of its own; both use the test coordinator process. Both databases are dropped, and inventory stopped, when the context closes.
 */
public class ShopTestContextInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase inventoryDb = DatabaseServers.postgres().createDatabase();
        TestDatabase orderDb = DatabaseServers.postgres().createDatabase();
        TestRedis redis = RedisServers.shared().newKeyspace();
        ConfigurableApplicationContext inventory = new SpringApplicationBuilder(InventoryServiceApplication.class)
            .run("--spring.config.location=" + ServiceConfig.location("inventory-service"), "--server.port=0",
                    "--flotilla.tx.coordinator.addresses=" + TestCoordinator.shared().url(),
                    "--flotilla.tx.participant.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
                    "--spring.datasource.hikari.maximum-pool-size=5", "--flotilla.registry.enabled=false",
                    "--spring.datasource.url=" + inventoryDb.jdbcUrl(),
                    "--spring.datasource.username=" + inventoryDb.username(),
                    "--spring.datasource.password=" + nullToEmpty(inventoryDb.password()));
        int inventoryPort = ((WebServerApplicationContext) inventory).getWebServer().getPort();
        TestPropertyValues.of(
                "spring.cloud.discovery.client.simple.instances.inventory-service[0].uri=http://127.0.0.1:" + inventoryPort,
                "test.inventory.url=http://127.0.0.1:" + inventoryPort,
                "test.inventory.jdbc-url=" + inventoryDb.jdbcUrl(), "test.inventory.jdbc-username=" + inventoryDb.username(),
                "test.inventory.jdbc-password=" + nullToEmpty(inventoryDb.password()),
                "spring.datasource.url=" + orderDb.jdbcUrl(), "spring.datasource.username=" + orderDb.username(),
                "spring.datasource.password=" + nullToEmpty(orderDb.password()),
                "flotilla.id.state-dir=" + tempDir(),
                "flotilla.tx.coordinator.addresses=" + TestCoordinator.shared().url(),
                "flotilla.tx.participant.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
                "spring.datasource.hikari.maximum-pool-size=5", "flotilla.registry.enabled=false",
                "flotilla.id.worker-id=1",
                // Without the registry, the Idempotency-Key locks use the real Redis server (a key space of its own).
                "flotilla.lock.backend=redis", "flotilla.lock.redis.uri=" + redis.uri(),
                "flotilla.lock.key-prefix=" + redis.keyPrefix())
            .applyTo(context);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                inventory.close();
                inventoryDb.close();
                orderDb.close();
                redis.close();
            }
        });
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("flotilla-order-ids").toString();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}

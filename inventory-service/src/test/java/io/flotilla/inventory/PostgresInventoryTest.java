package io.flotilla.inventory;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ContextConfiguration;

/**
 * A full inventory-service context on its own freshly created PostgreSQL database (the compose file's engine),
 * migrated by Flyway at start-up, on a real port (the coordinator calls confirm and cancel back), with MockMvc.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.prometheus.metrics.export.enabled=true")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = PostgresDatabaseInitializer.class)
public @interface PostgresInventoryTest {
}

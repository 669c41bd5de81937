package io.flotilla.lock.config;

import java.time.Duration;

import io.flotilla.lock.annotation.Locked;
import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockBackendException;
import io.flotilla.lock.core.LockRegistry;
import io.flotilla.lock.jdbc.JdbcLockBackend;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code flotilla.lock.backend=jdbc} on Spring Boot's DataSource (an in-memory H2 here; each context its own). */
class JdbcLockAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, LockAutoConfiguration.class))
        .withPropertyValues("flotilla.lock.backend=jdbc", "spring.datasource.generate-unique-name=true");

    @Test
    void jdbcBackendOnTheApplicationsDataSourceCreatesItsTableOnAnEmbeddedDatabase() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(JdbcLockBackend.class).hasSingleBean(JdbcLockSchemaInitializer.class);
            DistributedLock lock = context.getBean(LockRegistry.class).lock("config");
            long token = lock.lock();
            assertThat(context.getBean(LockBackend.class).inspect("config")).get()
                .satisfies(state -> assertThat(state.fencingToken()).isEqualTo(token));
            lock.unlock();
            assertThat(context.getBean(LockBackend.class).type()).isEqualTo("jdbc");
        });
    }

    @Test
    void propertiesAreBound() {
        runner.withPropertyValues("flotilla.lock.jdbc.table-name=my_locks", "flotilla.lock.jdbc.poll-interval=20ms",
                "flotilla.lock.jdbc.initialize-schema=never")
            .run(context -> {
                JdbcLockProperties properties = context.getBean(JdbcLockProperties.class);
                assertThat(properties.getTableName()).isEqualTo("my_locks");
                assertThat(properties.getPollInterval()).isEqualTo(Duration.ofMillis(20));
                // No table: with initialize-schema=never the schema is the application's (Flyway, Liquibase).
                assertThatThrownBy(() -> context.getBean(LockBackend.class)
                    .acquire("x", "o", Duration.ofSeconds(1), Duration.ZERO))
                    .isInstanceOf(LockBackendException.class)
                    .hasMessageContaining("my_locks");
            });
    }

    @Test
    void lockedMethodRunsUnderTheJdbcLock() {
        runner.withUserConfiguration(LockedServiceConfiguration.class).run(context -> {
            LockedService service = context.getBean(LockedService.class);
            assertThat(service.place("42")).isTrue();
            assertThat(context.getBean(DefaultLockRegistry.class).backend().inspect("order:42")).isEmpty();
        });
    }

    @Test
    void withoutADataSourceStartUpSaysWhatToAdd() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LockAutoConfiguration.class))
            .withPropertyValues("flotilla.lock.backend=jdbc")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("spring.datasource.url"));
    }

    @Test
    void withoutSpringBootJdbcStartUpSaysWhatToAdd() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LockAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.jdbc"))
            .withPropertyValues("flotilla.lock.backend=jdbc")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("spring-boot-starter-jdbc"));
    }

    @Configuration(proxyBeanMethods = false)
    static class LockedServiceConfiguration {

        @Bean
        LockedService lockedService(LockBackend backend) {
            return new LockedService(backend);
        }
    }

    static class LockedService {

        private final LockBackend backend;

        LockedService(LockBackend backend) {
            this.backend = backend;
        }

        /** Whether the lock was held, in the database, while the method ran. */
        @Locked(name = "order:#{#id}", waitMs = 2000)
        public boolean place(String id) {
            return backend.inspect("order:" + id).isPresent();
        }
    }
}

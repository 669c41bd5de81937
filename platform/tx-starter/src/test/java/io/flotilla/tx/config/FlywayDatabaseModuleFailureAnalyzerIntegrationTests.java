package io.flotilla.tx.config;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TCC participant on PostgreSQL whose class path lacks flyway-database-postgresql (this test's class path minus
 * that jar, in a class loader of its own) stops with Flyway's "Unsupported Database", and Spring Boot's failure
 * report names the module to add.
 */
@ExtendWith({ DatabaseExtension.class, OutputCaptureExtension.class })
class FlywayDatabaseModuleFailureAnalyzerIntegrationTests {

    @Test
    void postgresWithoutFlywaysPostgresModuleNamesTheModule(@Db(DatabaseEngine.POSTGRESQL) TestDatabase database,
            CapturedOutput output) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        URL[] withoutModule = Arrays.stream(classPath.split(File.pathSeparator))
            .filter(entry -> !entry.contains("flyway-database-postgresql"))
            .map(FlywayDatabaseModuleFailureAnalyzerIntegrationTests::url)
            .toArray(URL[]::new);
        assertThat(withoutModule).hasSizeLessThan(classPath.split(File.pathSeparator).length);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(withoutModule, ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(loader);
            String outcome = (String) loader.loadClass(Participant.class.getName())
                .getMethod("tryStart", String[].class)
                .invoke(null, (Object) new String[] { "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + (database.password() == null ? "" : database.password()) });
            assertThat(outcome).contains("Unsupported Database");
        } finally {
            thread.setContextClassLoader(previous);
        }
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Flyway cannot migrate PostgreSQL")
            .contains("Add the dependency org.flywaydb:flyway-database-postgresql next to flyway-core");
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }

    /** A TCC participant with Flyway: the starter migrates its fence table at start-up. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TxAutoConfiguration.class, TccAutoConfiguration.class })
    public static class Participant {

        /** Runs in the test's own class loader; answers how the start-up ended. */
        public static String tryStart(String[] args) {
            try {
                new SpringApplicationBuilder(Participant.class).web(WebApplicationType.NONE)
                    .properties("spring.config.name=flyway-module-tests", "spring.application.name=flyway-module",
                            "flotilla.tx.coordinator.addresses=http://127.0.0.1:1", "flotilla.tx.xa.enabled=false")
                    .run(args)
                    .close();
                return "started";
            } catch (RuntimeException e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return root.getClass().getName() + ": " + root.getMessage();
            }
        }
    }
}

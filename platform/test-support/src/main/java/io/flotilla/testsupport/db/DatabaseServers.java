package io.flotilla.testsupport.db;

import io.flotilla.testsupport.DockerProbe;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.ServerLocation;
import io.flotilla.testsupport.TestServerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.util.EnumMap;
import java.util.Map;

/**
 * Finds a real server for each engine, once per JVM: an explicit JDBC URL from the environment
 * ({@code FLOTILLA_TEST_POSTGRES_URL}, {@code FLOTILLA_TEST_MARIADB_URL}, with optional {@code _USER} and
 * {@code _PASSWORD}), else a Testcontainers container when Docker can run the engine's image now (see
 * {@link DockerProbe}), else the local server on its default port, else a {@link TestServerUnavailableException}
 * saying how to provide one. It logs its choice.
 */
public final class DatabaseServers {

    /** The compose file's PostgreSQL image, so that the stand-in `./flotilla compose-check` builds serves here too. */
    public static final String POSTGRES_IMAGE = "postgres:16";

    public static final String MARIADB_IMAGE = "mariadb:11";

    private static final Logger log = LoggerFactory.getLogger(DatabaseServers.class);

    private static final Map<DatabaseEngine, DatabaseServer> SERVERS = new EnumMap<>(DatabaseEngine.class);

    private DatabaseServers() {
    }

    public static DatabaseServer postgres() {
        return server(DatabaseEngine.POSTGRESQL);
    }

    public static DatabaseServer mariadb() {
        return server(DatabaseEngine.MARIADB);
    }

    public static synchronized DatabaseServer server(DatabaseEngine engine) {
        return SERVERS.computeIfAbsent(engine, missing -> {
            DatabaseServer found = locate(missing);
            log.info("{} for the tests: {} via {}", missing.displayName(), found.serverUrl(), found.location());
            return found;
        });
    }

    private static DatabaseServer locate(DatabaseEngine engine) {
        String explicitUrl = System.getenv(engine.environmentVariable());
        if (explicitUrl != null && !explicitUrl.isBlank()) {
            return new DatabaseServer(engine, explicitUrl,
                    System.getenv(engine.environmentVariable() + "_USER"),
                    System.getenv(engine.environmentVariable() + "_PASSWORD"),
                    ServerLocation.ENVIRONMENT);
        }
        String image = engine == DatabaseEngine.POSTGRESQL ? POSTGRES_IMAGE : MARIADB_IMAGE;
        if (DockerProbe.canRun(image)) {
            return startContainer(engine);
        }
        if (DockerProbe.dockerAvailable()) {
            log.info("{} not from Testcontainers: {}", engine.displayName(), DockerProbe.whyNot(image));
        }
        if (PortProbe.isListening("127.0.0.1", engine.defaultPort(), 500)) {
            return localServer(engine);
        }
        throw new TestServerUnavailableException("""
                This test needs a real %1$s server and none was found. Provide one of:
                  - %2$s=jdbc:%3$s://host:port/db (plus %2$s_USER / %2$s_PASSWORD), a server where the user may CREATE DATABASE;
                  - a Docker engine that has or can pull %5$s, for Testcontainers;
                  - a local %1$s listening on 127.0.0.1:%4$d.
                """.formatted(engine.displayName(), engine.environmentVariable(),
                engine == DatabaseEngine.POSTGRESQL ? "postgresql" : "mariadb", engine.defaultPort(), image));
    }

    private static DatabaseServer localServer(DatabaseEngine engine) {
        return switch (engine) {
            case POSTGRESQL -> new DatabaseServer(engine, "jdbc:postgresql://127.0.0.1:5432/postgres",
                    "postgres", "", ServerLocation.LOCAL);
            case MARIADB -> new DatabaseServer(engine, "jdbc:mariadb://127.0.0.1:3306/mysql",
                    "root", "", ServerLocation.LOCAL);
        };
    }

    @SuppressWarnings("resource") // lives for the JVM; Testcontainers' reaper removes it afterwards
    private static DatabaseServer startContainer(DatabaseEngine engine) {
        return switch (engine) {
            case POSTGRESQL -> {
                // XA (PREPARE TRANSACTION) is refused unless max_prepared_transactions > 0.
                PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE)
                        .withCommand("postgres", "-c", "max_prepared_transactions=64")
                        .withImagePullPolicy(DockerProbe.alreadyPresent());
                container.start();
                yield new DatabaseServer(engine, container.getJdbcUrl(), container.getUsername(),
                        container.getPassword(), ServerLocation.TESTCONTAINERS);
            }
            case MARIADB -> {
                MariaDBContainer container = new MariaDBContainer(MARIADB_IMAGE).withUsername("root")
                        .withImagePullPolicy(DockerProbe.alreadyPresent());
                container.start();
                yield new DatabaseServer(engine, container.getJdbcUrl(), "root", container.getPassword(),
                        ServerLocation.TESTCONTAINERS);
            }
        };
    }
}

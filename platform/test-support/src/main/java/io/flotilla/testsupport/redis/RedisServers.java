package io.flotilla.testsupport.redis;

import io.flotilla.testsupport.DockerProbe;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.ServerLocation;
import io.flotilla.testsupport.TestServerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;

import java.net.URI;

/**
 * Finds a real Redis once per JVM: {@code FLOTILLA_TEST_REDIS_URL} ({@code redis://host:port}), else a
 * Testcontainers container when Docker can run {@link #IMAGE} now (see {@link DockerProbe}), else the local server
 * on 127.0.0.1:6379, else a {@link TestServerUnavailableException} saying how to provide one. It logs its choice.
 */
public final class RedisServers {

    public static final String ENVIRONMENT_VARIABLE = "FLOTILLA_TEST_REDIS_URL";

    /** The compose file's Redis image, so that the stand-in `./flotilla compose-check` builds serves here too. */
    public static final String IMAGE = "redis:7.2";

    private static final Logger log = LoggerFactory.getLogger(RedisServers.class);

    private static RedisServer shared;

    private RedisServers() {
    }

    public static synchronized RedisServer shared() {
        if (shared == null) {
            shared = locate();
            log.info("Redis for the tests: {} via {}", shared.uri(), shared.location());
        }
        return shared;
    }

    private static RedisServer locate() {
        String explicitUrl = System.getenv(ENVIRONMENT_VARIABLE);
        if (explicitUrl != null && !explicitUrl.isBlank()) {
            URI uri = URI.create(explicitUrl);
            return new RedisServer(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, ServerLocation.ENVIRONMENT);
        }
        if (DockerProbe.canRun(IMAGE)) {
            return startContainer();
        }
        if (DockerProbe.dockerAvailable()) {
            log.info("Redis not from Testcontainers: {}", DockerProbe.whyNot(IMAGE));
        }
        if (PortProbe.isListening("127.0.0.1", 6379, 500)) {
            return new RedisServer("127.0.0.1", 6379, ServerLocation.LOCAL);
        }
        throw new TestServerUnavailableException("""
                This test needs a real Redis server and none was found. Provide one of:
                  - %s=redis://host:port;
                  - a Docker engine that has or can pull %s, for Testcontainers;
                  - a local redis-server listening on 127.0.0.1:6379 (redis-server --daemonize yes --port 6379).
                """.formatted(ENVIRONMENT_VARIABLE, IMAGE));
    }

    @SuppressWarnings("resource") // lives for the JVM; Testcontainers' reaper removes it afterwards
    private static RedisServer startContainer() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(6379)
                .withImagePullPolicy(DockerProbe.alreadyPresent());
        container.start();
        return new RedisServer(container.getHost(), container.getMappedPort(6379), ServerLocation.TESTCONTAINERS);
    }
}

package io.flotilla.testsupport.redis;

import io.flotilla.testsupport.DockerProbe;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.ServerLocation;
import io.flotilla.testsupport.TestServerUnavailableException;
import org.testcontainers.containers.GenericContainer;

import java.net.URI;

/**
 * Finds a real Redis once per JVM: {@code FLOTILLA_TEST_REDIS_URL} ({@code redis://host:port}), else a
 * Testcontainers container when Docker is available, else the local server on 127.0.0.1:6379, else a
 * {@link TestServerUnavailableException} saying how to provide one.
 */
public final class RedisServers {

    public static final String ENVIRONMENT_VARIABLE = "FLOTILLA_TEST_REDIS_URL";

    private static RedisServer shared;

    private RedisServers() {
    }

    public static synchronized RedisServer shared() {
        if (shared == null) {
            shared = locate();
        }
        return shared;
    }

    private static RedisServer locate() {
        String explicitUrl = System.getenv(ENVIRONMENT_VARIABLE);
        if (explicitUrl != null && !explicitUrl.isBlank()) {
            URI uri = URI.create(explicitUrl);
            return new RedisServer(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, ServerLocation.ENVIRONMENT);
        }
        if (DockerProbe.dockerAvailable()) {
            return startContainer();
        }
        if (PortProbe.isListening("127.0.0.1", 6379, 500)) {
            return new RedisServer("127.0.0.1", 6379, ServerLocation.LOCAL);
        }
        throw new TestServerUnavailableException("""
                This test needs a real Redis server and none was found. Provide one of:
                  - %s=redis://host:port;
                  - a Docker engine, for Testcontainers;
                  - a local redis-server listening on 127.0.0.1:6379 (redis-server --daemonize yes --port 6379).
                """.formatted(ENVIRONMENT_VARIABLE));
    }

    @SuppressWarnings("resource") // lives for the JVM; Testcontainers' reaper removes it afterwards
    private static RedisServer startContainer() {
        GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        container.start();
        return new RedisServer(container.getHost(), container.getMappedPort(6379), ServerLocation.TESTCONTAINERS);
    }
}

package io.flotilla.testsupport;

import org.testcontainers.DockerClientFactory;

/**
 * Asks Testcontainers once whether a Docker engine answers. A machine with only the docker client (no
 * engine) answers false, and the fixtures fall through to the local servers.
 */
public final class DockerProbe {

    /** Set to {@code false} to skip the (slow) probe when you know there is no engine. */
    public static final String PROPERTY = "flotilla.test.docker";

    private static volatile Boolean available;

    private DockerProbe() {
    }

    public static boolean dockerAvailable() {
        Boolean known = available;
        if (known == null) {
            known = probe();
            available = known;
        }
        return known;
    }

    private static boolean probe() {
        String configured = System.getProperty(PROPERTY, System.getenv("FLOTILLA_TEST_DOCKER"));
        if ("false".equalsIgnoreCase(configured)) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}

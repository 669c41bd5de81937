package io.flotilla.order;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a shop service's own application.yml is. Every service on one test classpath ships an application.yml, and
 * only the first on the classpath would be found; a service started from this classpath is pointed at its own file.
 */
public final class ServiceConfig {

    private ServiceConfig() {
    }

    /** A {@code spring.config.location} value naming {@code module}'s application.yml in this repository. */
    public static String location(String module) {
        Path file = Path.of("..", module, "src", "main", "resources", "application.yml").toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Expected " + module + "'s configuration at " + file
                    + "; run the tests from the repository's module directory (Maven does)");
        }
        return "file:" + file;
    }
}

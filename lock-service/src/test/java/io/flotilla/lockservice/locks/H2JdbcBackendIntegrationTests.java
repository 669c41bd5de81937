package io.flotilla.lockservice.locks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --flotilla.lock.backend=jdbc} alone: the H2 file of {@code application.yml}, here moved under a temporary
 * directory (only its directory differs from the default).
 */
class H2JdbcBackendIntegrationTests extends JdbcBackendContract {

    static final Path directory = temporaryDirectory();

    @DynamicPropertySource
    static void h2File(DynamicPropertyRegistry properties) {
        properties.add("spring.datasource.url", () -> defaultUrl().replace("./data/lock-service", directory.toString()));
    }

    @Value("${spring.datasource.url}")
    String url;

    @Test
    void theDefaultDatabaseIsAnH2FileUnderTheWorkingDirectory() {
        assertThat(defaultUrl()).isEqualTo("jdbc:h2:file:./data/lock-service/locks");
        assertThat(url).startsWith("jdbc:h2:file:" + directory);
        assertThat(directory.resolve("locks.mv.db")).exists();
    }

    private static String defaultUrl() {
        try (var yaml = H2JdbcBackendIntegrationTests.class.getResourceAsStream("/application.yml")) {
            String text = new String(yaml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return text.lines().map(String::trim).filter(line -> line.startsWith("url: jdbc:h2:"))
                .findFirst().orElseThrow().substring("url: ".length());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("lock-service-h2");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

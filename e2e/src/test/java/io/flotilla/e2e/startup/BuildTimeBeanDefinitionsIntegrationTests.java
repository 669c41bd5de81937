package io.flotilla.e2e.startup;

import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.process.JavaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two Raft services' packaged jars start from Spring AOT's build-time bean definitions
 * ({@code BuildTimeBeanDefinitions} in flotilla-raft-server) and serve as they do otherwise; a start that gives a
 * property deciding which beans exist another value than the build did starts the usual way, so the property
 * still works: the registry with its console switched off has no console.
 */
class BuildTimeBeanDefinitionsIntegrationTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String FROM_BUILD_TIME = "Starting from the build-time bean definitions";
    private static final String WITHOUT_BUILD_TIME = "Starting without the build-time bean definitions";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theRegistryStartsFromTheBuildTimeDefinitionsAndServesItsApiConsoleAndProblems(@TempDir Path data)
            throws Exception {
        int port = PortProbe.freePort();
        try (JavaProcess registry = registry("registry-build-time", port, data).start()) {
            String url = "http://127.0.0.1:" + port;

            assertThat(log(registry)).contains(FROM_BUILD_TIME).doesNotContain(WITHOUT_BUILD_TIME);
            assertThat(send("PUT", url + "/v1/kv/app/colour", "blue").statusCode()).isEqualTo(200);
            assertThat(send("GET", url + "/v1/kv/app/colour", null).body()).contains("\"key\":\"app/colour\"");
            HttpResponse<String> invalid = send("PUT", url + "/v1/kv/", "x");
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(send("GET", url + "/ui/", null).statusCode()).as("the console, to its sign-in page")
                    .isIn(200, 302, 303);
            assertThat(send("GET", url + "/v3/api-docs", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aConsoleSwitchedOffAtStartIsOffBecauseThatStartGoesTheUsualWay(@TempDir Path data) throws Exception {
        int port = PortProbe.freePort();
        try (JavaProcess registry = registry("registry-console-off", port, data,
                "--flotilla.registry.server.console.enabled=false").start()) {
            String url = "http://127.0.0.1:" + port;

            assertThat(log(registry)).contains(WITHOUT_BUILD_TIME + ", which were made for other values of "
                    + "flotilla.registry.server.console.enabled=false (built with (unset))");
            assertThat(send("GET", url + "/ui/", null).statusCode()).isEqualTo(404);
            assertThat(send("PUT", url + "/v1/kv/app/colour", "green").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theCoordinatorStartsFromTheBuildTimeDefinitionsAndCommits(@TempDir Path data) throws Exception {
        int port = PortProbe.freePort();
        JavaProcess.Builder builder = JavaProcess.jarBuilder("coordinator-build-time", execJar("tx-coordinator"))
                .args("--server.port=" + port, "--flotilla.coordinator.raft-port=" + PortProbe.freePort(),
                        "--flotilla.coordinator.data-dir=" + data)
                .healthUrl("http://127.0.0.1:" + port + "/actuator/health/readiness")
                .startTimeout(Duration.ofMinutes(2));
        try (JavaProcess coordinator = builder.start()) {
            String url = "http://127.0.0.1:" + port + "/v1/transactions";

            assertThat(log(coordinator)).contains(FROM_BUILD_TIME);
            String begun = send("POST", url, "{\"mode\":\"TCC\"}").body();
            String xid = begun.replaceAll(".*\"xid\":\"([^\"]+)\".*", "$1");
            assertThat(send("POST", url + "/" + xid + "/commit", null).body()).contains("\"status\":\"COMMITTED\"");
            assertThat(send("POST", url, "{\"mode\":\"BOTH\"}").statusCode()).isEqualTo(400);
        }
    }

    private static JavaProcess.Builder registry(String name, int port, Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                "--flotilla.registry.server.raft-port=" + PortProbe.freePort(),
                "--flotilla.registry.server.data-dir=" + data));
        args.addAll(List.of(more));
        return JavaProcess.jarBuilder(name, execJar("registry-service"))
                .args(args.toArray(String[]::new))
                .healthUrl("http://127.0.0.1:" + port + "/actuator/health/readiness")
                .startTimeout(Duration.ofMinutes(2));
    }

    private static Path execJar(String module) {
        Path jar = ROOT.resolve(module).resolve("target").resolve(module + "-exec.jar");
        assertThat(jar).as("the packaged service (./mvnw package builds it before this module's tests)")
                .isRegularFile();
        return jar;
    }

    /** This start's part of the process log (the file is appended to across runs). */
    private static String log(JavaProcess process) throws IOException {
        String whole = Files.readString(process.logFile());
        int lastStart = whole.lastIndexOf(":: Spring Boot ::");
        return lastStart < 0 ? whole : whole.substring(lastStart);
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", body != null && body.startsWith("{") ? "application/json" : "text/plain");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

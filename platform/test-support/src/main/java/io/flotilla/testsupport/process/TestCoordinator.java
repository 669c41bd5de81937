package io.flotilla.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.flotilla.testsupport.PortProbe;

/**
 * A single-node tx-coordinator running as a real process from its runnable jar (a test dependency), so its own
 * Spring context and class path stay apart from the service under test. One per test JVM, stopped at exit.
 * The test module needs {@code tx-coordinator} (classifier {@code exec}) as a test dependency.
 */
public final class TestCoordinator {

    /**
     * The key test coordinators sign their phase-two calls with; participants under test accept it
     * ({@code flotilla.tx.participant.signing-keys}). A test secret, never used outside tests.
     */
    public static final String PHASE_TWO_KEY = "flotilla-test-phase-two-key-0123456789abcdef";

    /** The longest wait between two phase-two attempts of a branch in test coordinators. */
    public static final String PHASE_TWO_MAX_BACKOFF = "1s";

    private static TestCoordinator shared;

    private final JavaProcess process;
    private final String url;

    private TestCoordinator(JavaProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    public static synchronized TestCoordinator shared() {
        if (shared == null) {
            shared = start("tx-coordinator");
            Runtime.getRuntime().addShutdownHook(new Thread(shared.process::close));
        }
        return shared;
    }

    /** Starts a coordinator and returns once it has a leader and answers. */
    public static TestCoordinator start(String name) {
        int httpPort = PortProbe.freePort();
        int raftPort = PortProbe.freePort();
        String dataDir;
        try {
            dataDir = Files.createTempDirectory("flotilla-tx-test").toString();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JavaProcess process = JavaProcess.builder(name, "org.springframework.boot.loader.launch.JarLauncher")
            .classpath(execJar("tx-coordinator"))
            .args("--server.port=" + httpPort, "--flotilla.coordinator.raft-port=" + raftPort,
                    "--flotilla.coordinator.data-dir=" + dataDir,
                    "--flotilla.coordinator.phase-two.signing-keys=" + PHASE_TWO_KEY,
                    // A test waits for phase two to finish after the faults it made; the production ceiling of
                    // 30 s between retries would make it wait that long after a participant is back.
                    "--flotilla.coordinator.phase-two.max-backoff=" + PHASE_TWO_MAX_BACKOFF)
            .healthUrl("http://127.0.0.1:" + httpPort + "/actuator/health")
            // Spring Boot start-up on a 2-core machine shared with other builds can take minutes.
            .startTimeout(Duration.ofMinutes(5))
            .build();
        try {
            process.start();
            TestCoordinator coordinator = new TestCoordinator(process, "http://127.0.0.1:" + httpPort);
            coordinator.awaitLeader();
            return coordinator;
        }
        catch (RuntimeException failed) {
            process.close();
            throw failed;
        }
    }

    public String url() {
        return url;
    }

    public JavaProcess process() {
        return process;
    }

    /** The transaction's status at the coordinator, e.g. COMMITTED. */
    public String status(String xid) {
        String body = get("/v1/transactions/" + xid).body();
        int at = body.indexOf("\"status\":\"");
        return body.substring(at + 10, body.indexOf('"', at + 10));
    }

    private void awaitLeader() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (get("/v1/transactions?limit=1").statusCode() == 200) {
                return;
            }
            sleep();
        }
        throw new IllegalStateException("tx-coordinator elected no leader within 60 s:\n" + process.logTail());
    }

    private HttpResponse<String> get(String path) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The module's runnable jar on this test's class path (from the reactor or the local repository). */
    private static String execJar(String module) {
        return JavaProcess.execJar(module)
            .map(Path::toString)
            .orElseThrow(() -> new IllegalStateException(module + "'s runnable jar (classifier exec) is not on the "
                    + "test class path; build it first: ./mvnw -pl " + module + " -am install -DskipTests"));
    }
}

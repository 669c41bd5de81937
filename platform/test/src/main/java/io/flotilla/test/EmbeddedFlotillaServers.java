package io.flotilla.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node registry-service and tx-coordinator running inside this JVM (each in a class loader of its
 * own, see {@link IsolatedBootApplication}) on free ports of 127.0.0.1, with a fresh data directory, a random
 * bearer token each and a random phase-two signing key. {@link #properties()} are the starters' properties that
 * point an application at them. {@link EmbeddedFlotilla @EmbeddedFlotilla} starts one per Spring test context;
 * without Spring:
 *
 * <pre>{@code
 * try (EmbeddedFlotillaServers flotilla = EmbeddedFlotillaServers.start(true, true)) {
 *     new SpringApplicationBuilder(MyApp.class).properties(flotilla.properties()).run();
 * }
 * }</pre>
 */
public final class EmbeddedFlotillaServers implements AutoCloseable {

    /** How long a service may take to start and elect itself: minutes on a loaded 2-core CI machine. */
    static final Duration START_WAIT = Duration.ofMinutes(3);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedFlotillaServers.class);
    private static final String HOST = "127.0.0.1";
    private static final int RAFT_PORT_ATTEMPTS = 3;
    private static final Pattern LEADER_KNOWN = Pattern.compile("\"leaderId\"\\s*:\\s*\"[^\"]+\"");

    private final IsolatedBootApplication registry;
    private final IsolatedBootApplication coordinator;
    private final URI registryAddress;
    private final URI coordinatorAddress;
    private final String registryToken;
    private final String coordinatorToken;
    private final String phaseTwoKey;
    private final Path dataDirectory;

    private EmbeddedFlotillaServers(Started registry, Started coordinator, String registryToken,
            String coordinatorToken, String phaseTwoKey, Path dataDirectory) {
        this.registry = registry == null ? null : registry.application();
        this.coordinator = coordinator == null ? null : coordinator.application();
        this.registryAddress = registry == null ? null : registry.address();
        this.coordinatorAddress = coordinator == null ? null : coordinator.address();
        this.registryToken = registryToken;
        this.coordinatorToken = coordinatorToken;
        this.phaseTwoKey = phaseTwoKey;
        this.dataDirectory = dataDirectory;
    }

    /** Starts the registry and/or the coordinator (in parallel) and returns once each has elected itself leader. */
    public static EmbeddedFlotillaServers start(boolean withRegistry, boolean withCoordinator) {
        String registryToken = secret();
        String coordinatorToken = secret();
        String phaseTwoKey = secret();
        Path data = temporaryDirectory();
        CompletableFuture<Started> registry = CompletableFuture.completedFuture(null);
        CompletableFuture<Started> coordinator = CompletableFuture.completedFuture(null);
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            if (withRegistry) {
                registry = CompletableFuture.supplyAsync(
                        () -> startRegistry(data, registryToken, EmbeddedFlotillaServers::freePort), starters);
            }
            if (withCoordinator) {
                coordinator = CompletableFuture.supplyAsync(
                        () -> startCoordinator(data, coordinatorToken, phaseTwoKey), starters);
            }
            CompletableFuture.allOf(registry, coordinator).exceptionally(failure -> null).join();
        }
        if (registry.isCompletedExceptionally() || coordinator.isCompletedExceptionally()) {
            closeQuietly(registry);
            closeQuietly(coordinator);
            Throwable failure = (registry.isCompletedExceptionally() ? registry : coordinator).handle((ok, e) -> e).join();
            throw failure.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("@EmbeddedFlotilla could not start", failure);
        }
        return new EmbeddedFlotillaServers(registry.join(), coordinator.join(), registryToken, coordinatorToken,
                phaseTwoKey, data);
    }

    /** The registry's HTTP address, {@code http://127.0.0.1:<port>}. */
    public URI registryAddress() {
        return require(registryAddress, "registry");
    }

    /** The coordinator's HTTP address, {@code http://127.0.0.1:<port>}. */
    public URI coordinatorAddress() {
        return require(coordinatorAddress, "coordinator");
    }

    /** The bearer token the registry wants on writes ({@code flotilla.registry.token}). */
    public String registryToken() {
        return registryToken;
    }

    /** The bearer token the coordinator wants ({@code flotilla.tx.coordinator.token}). */
    public String coordinatorToken() {
        return coordinatorToken;
    }

    /** The key the coordinator signs phase-two calls with ({@code flotilla.tx.participant.signing-keys}). */
    public String phaseTwoKey() {
        return phaseTwoKey;
    }

    /**
     * The starters' properties that point an application at these servers: {@code flotilla.registry.addresses}
     * and {@code .token} with a registry; {@code flotilla.tx.coordinator.addresses}, {@code .token} and
     * {@code flotilla.tx.participant.signing-keys} with a coordinator.
     */
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (registryAddress != null) {
            properties.put("flotilla.registry.addresses", registryAddress.toString());
            properties.put("flotilla.registry.token", registryToken);
        }
        if (coordinatorAddress != null) {
            properties.put("flotilla.tx.coordinator.addresses", coordinatorAddress.toString());
            properties.put("flotilla.tx.coordinator.token", coordinatorToken);
            properties.put("flotilla.tx.participant.signing-keys", phaseTwoKey);
        }
        return properties;
    }

    /** {@link #properties()} as {@code --name=value} arguments, for an application started as a process. */
    public List<String> arguments() {
        return properties().entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    /** Stops both services and deletes their data. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (IsolatedBootApplication application : Arrays.asList(registry, coordinator)) {
            if (application != null) {
                try {
                    application.close();
                }
                catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }
        deleteQuietly(dataDirectory.toFile());
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }

    /** Starts the registry on the first of {@code raftPorts} it can bind; package-private for its test. */
    static Started startRegistry(Path data, String token, IntSupplier raftPorts) {
        IsolatedBootApplication application = runWithFreeRaftPort("registry", raftPorts, raftPort -> IsolatedBootApplication.run(
                "registry", execJar("registry-service"),
                List.of("--server.port=0", "--server.address=" + HOST,
                        "--flotilla.registry.server.node-id=n1", "--flotilla.registry.server.raft-host=" + HOST,
                        "--flotilla.registry.server.raft-port=" + raftPort,
                        "--flotilla.registry.server.data-dir=" + data.resolve("registry"),
                        "--flotilla.registry.server.token=" + token,
                        // one node: nobody else can win an election, so there is no reason to wait 1-2 s for it
                        "--flotilla.registry.server.election-timeout-min=150ms",
                        "--flotilla.registry.server.election-timeout-max=300ms", "--spring.jmx.enabled=false",
                        "--spring.main.banner-mode=off",
                        // blocking queries (discovery watches) would hold a graceful shutdown for their whole wait
                        "--server.shutdown=immediate",
                        // stopped by close(), after the application under test: at JVM exit a shutdown hook of
                        // their own would stop them while the application still deregisters and revokes leases
                        "--spring.main.register-shutdown-hook=false")));
        return awaitReady(new Started("registry", application, address(application)), "/v1/cluster", LEADER_KNOWN);
    }

    private static Started startCoordinator(Path data, String token, String phaseTwoKey) {
        IsolatedBootApplication application = runWithFreeRaftPort("coordinator", EmbeddedFlotillaServers::freePort,
                raftPort -> IsolatedBootApplication.run(
                "coordinator", execJar("tx-coordinator"),
                List.of("--server.port=0", "--server.address=" + HOST,
                        "--flotilla.coordinator.node-id=tx1", "--flotilla.coordinator.raft-host=" + HOST,
                        "--flotilla.coordinator.raft-port=" + raftPort,
                        "--flotilla.coordinator.data-dir=" + data.resolve("coordinator"),
                        "--flotilla.coordinator.token=" + token,
                        "--flotilla.coordinator.phase-two.signing-keys=" + phaseTwoKey,
                        "--flotilla.coordinator.election-timeout-min=150ms",
                        "--flotilla.coordinator.election-timeout-max=300ms", "--spring.jmx.enabled=false",
                        "--spring.main.banner-mode=off",
                        // blocking queries (discovery watches) would hold a graceful shutdown for their whole wait
                        "--server.shutdown=immediate",
                        // stopped by close(), after the application under test: at JVM exit a shutdown hook of
                        // their own would stop them while the application still deregisters and revokes leases
                        "--spring.main.register-shutdown-hook=false")));
        return awaitReady(new Started("coordinator", application, address(application)), "/v1/transactions?limit=1",
                null);
    }

    /**
     * Starts a service on a Raft port that was free a moment ago ({@code raftPorts}), and on the next one if
     * something else bound it in between. The HTTP port needs no such care: the web server picks it itself ({@code server.port=0}) and
     * {@link #address} reads it back; the Raft port cannot be 0, because it is the member's address in the Raft
     * configuration, known before the transport binds.
     */
    private static IsolatedBootApplication runWithFreeRaftPort(String name, IntSupplier raftPorts,
            IntFunction<IsolatedBootApplication> run) {
        for (int attempt = 1;; attempt++) {
            try {
                return run.apply(raftPorts.getAsInt());
            }
            catch (IllegalStateException failure) {
                if (attempt == RAFT_PORT_ATTEMPTS || !causedBy(failure, BindException.class)) {
                    throw failure;
                }
                log.info("the embedded {}'s Raft port was taken before it bound it; starting it on another", name);
            }
        }
    }

    private static URI address(IsolatedBootApplication application) {
        return URI.create("http://" + HOST + ":" + application.localServerPort());
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the node answers {@code path} with 200 (and {@code expected} in the body): it leads. */
    private static Started awaitReady(Started started, String path, Pattern expected) {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(started.address().resolve(path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200 && (expected == null || expected.matcher(answer.body()).find())) {
                        log.info("embedded {} ready at {}", started.name(), started.address());
                        return started;
                    }
                }
                catch (IOException notYet) {
                    // the leader is still being elected
                }
                Thread.sleep(50);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started.application().close();
        throw new IllegalStateException("the embedded " + started.name() + " at " + started.address() + " elected no leader within "
                + START_WAIT);
    }

    /**
     * The service's runnable jar (classifier {@code exec}): a dependency of this artifact, so on the test class
     * path; {@code -Dflotilla.test.exec-jar.<module>=path} overrides.
     */
    static Path execJar(String module) {
        String configured = System.getProperty("flotilla.test.exec-jar." + module, "");
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        Optional<Path> onClassPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> new File(entry).getName().startsWith(module) && entry.endsWith("-exec.jar"))
            .map(Path::of)
            .findFirst();
        return onClassPath.orElseThrow(() -> new IllegalStateException(module + "'s runnable jar (io.flotilla:"
                + module + ", classifier exec) is not on the test class path: it comes with io.flotilla:flotilla-test"));
    }

    /** A port that nothing bound on {@link #HOST} a moment ago; see {@link #runWithFreeRaftPort}. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("flotilla-embedded");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI require(URI address, String what) {
        if (address == null) {
            throw new IllegalStateException("no embedded " + what + ": @EmbeddedFlotilla(" + what + " = false)");
        }
        return address;
    }

    private static void closeQuietly(CompletableFuture<Started> started) {
        if (!started.isCompletedExceptionally() && started.join() != null) {
            started.join().application().close();
        }
    }

    private static void deleteQuietly(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            Arrays.stream(children).forEach(EmbeddedFlotillaServers::deleteQuietly);
        }
        file.delete();
    }

    record Started(String name, IsolatedBootApplication application, URI address) {
    }
}

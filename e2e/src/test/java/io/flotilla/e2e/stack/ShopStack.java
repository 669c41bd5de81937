package io.flotilla.e2e.stack;

import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.process.JavaProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The shop of {@code scripts/shop.stack} started as real processes from the services' runnable jars, on free
 * ports and in a data directory of the test's own.
 *
 * <p>The registry and the coordinator start first (everything else registers with the one and calls the other),
 * then the rest together. Each process is a {@link JavaProcess}, so a test can kill, pause and restart any of
 * them.
 */
public final class ShopStack implements AutoCloseable {

    private static final Set<String> STARTED_FIRST = Set.of("registry-service", "tx-coordinator");

    private final Path root;
    private final StackFile stack;
    private final Path dataDir;
    private final List<StackFile.ProcessLine> lines;
    private final Map<String, JavaProcess> processes = new LinkedHashMap<>();
    private final Set<String> deferred = new java.util.HashSet<>();
    private Map<String, String> secrets = Map.of();

    private ShopStack(Path root, Path dataDir) {
        this.root = root;
        this.stack = StackFile.read(root.resolve("scripts/shop.stack"));
        this.dataDir = dataDir;
        this.lines = new ArrayList<>(stack.processes());
        stack.ports().replaceAll((name, port) -> PortProbe.freePort());
    }

    /** The stack of the repository at {@code root}, every port replaced by a free one. */
    public static ShopStack of(Path root, Path dataDir) {
        return new ShopStack(root, dataDir);
    }

    /** Replaces a {@code value} of the stack file (for example the databases, or the registry addresses). */
    public ShopStack value(String name, String text) {
        stack.values().put(name, text);
        return this;
    }

    /** Replaces one process line by others, for example one registry node by three. */
    public ShopStack replaceProcess(String name, List<StackFile.ProcessLine> replacements) {
        int index = indexOf(name);
        lines.remove(index);
        lines.addAll(index, replacements);
        return this;
    }

    /**
     * Leaves processes out of {@link #start()}: they are built with the others (ports, arguments) and a test starts
     * them itself with {@code process(name).start()}, for example to watch a new instance appear.
     */
    public ShopStack deferring(String... names) {
        for (String name : names) {
            indexOf(name);
            deferred.add(name);
        }
        return this;
    }

    /** The port named {@code name}; a name the stack file does not have gets a free port now. */
    public int port(String name) {
        return stack.ports().computeIfAbsent(name, unused -> PortProbe.freePort());
    }

    public String url(String portName) {
        return "http://127.0.0.1:" + port(portName);
    }

    /** Starts every process and returns when all are healthy. */
    public ShopStack start() {
        secrets = stack.writeSecrets(dataDir);
        List<StackFile.ProcessLine> first = lines.stream().filter(line -> STARTED_FIRST.contains(line.module())).toList();
        List<StackFile.ProcessLine> rest = lines.stream().filter(line -> !STARTED_FIRST.contains(line.module())).toList();
        first.forEach(line -> processes.put(line.name(), build(line)));
        rest.forEach(line -> processes.put(line.name(), build(line)));
        startTogether(first);
        // A module's second replica starts once its first is healthy: replicas share one database file, and two
        // Flyway runs creating the same tables at the same moment fail ("table already exists").
        List<StackFile.ProcessLine> toStart = rest.stream().filter(line -> !deferred.contains(line.name())).toList();
        startTogether(toStart.stream().filter(line -> firstReplicaOf(line, toStart)).toList());
        startTogether(toStart.stream().filter(line -> !firstReplicaOf(line, toStart)).toList());
        return this;
    }

    private static boolean firstReplicaOf(StackFile.ProcessLine line, List<StackFile.ProcessLine> lines) {
        return lines.stream().filter(other -> other.module().equals(line.module())).findFirst().orElseThrow() == line;
    }

    /** A secret of the stack file ({@code secret} line) as the started processes read it. */
    public String secret(String name) {
        String secret = secrets.get(name);
        if (secret == null) {
            throw new IllegalArgumentException("no secret " + name + " in the started stack: " + secrets.keySet());
        }
        return secret;
    }

    /** Every secret of the started stack, by name. */
    public Map<String, String> secrets() {
        return Map.copyOf(secrets);
    }

    /** Every process of the started stack, in start order. */
    public List<JavaProcess> processes() {
        return List.copyOf(processes.values());
    }

    public JavaProcess process(String name) {
        JavaProcess process = processes.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no process " + name + " in the stack: " + processes.keySet());
        }
        return process;
    }

    /** The HTTP base URL of a process, by process name. */
    public String processUrl(String name) {
        return url(lines.get(indexOf(name)).portName());
    }

    @Override
    public void close() {
        List<JavaProcess> reversed = new ArrayList<>(processes.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(JavaProcess::close);
    }

    private void startTogether(List<StackFile.ProcessLine> group) {
        try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<JavaProcess>> started = group.stream()
                    .map(line -> CompletableFuture.supplyAsync(() -> processes.get(line.name()).start(), starter))
                    .toList();
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        }
    }

    private JavaProcess build(StackFile.ProcessLine line) {
        Path jar = root.resolve(line.module()).resolve("target").resolve(line.module() + "-exec.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw package)");
        }
        int port = port(line.portName());
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        String resolved = stack.resolve(line.arguments(), dataDir).strip();
        if (!resolved.isEmpty()) {
            args.addAll(Arrays.asList(resolved.split("\\s+")));
        }
        return JavaProcess.jarBuilder(line.name(), jar)
                .args(args.toArray(String[]::new))
                .maxHeap("384m")
                .startTimeout(java.time.Duration.ofMinutes(4))
                .healthUrl("http://127.0.0.1:" + port + "/actuator/health")
                .build();
    }

    private int indexOf(String name) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no process " + name + " in the stack");
    }
}

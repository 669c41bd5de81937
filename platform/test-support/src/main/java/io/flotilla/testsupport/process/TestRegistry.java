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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.flotilla.testsupport.PortProbe;

/**
 * Real registry-service nodes, each a process with its HTTP and Raft port free on 127.0.0.1 and a data
 * directory of its own, alone or as a cluster ({@code n1}, {@code n2}, ...). Processes, not in-process contexts,
 * so that a test can kill, pause and restart a node and the registry's class path never mixes with the service
 * under test (the gateway is a reactive application, the registry a servlet one).
 *
 * <p>The registry runs from its runnable jar when {@code registry-service} (classifier {@code exec}) is a test
 * dependency, otherwise from {@code io.flotilla.registryservice.RegistryServiceApplication} on the test's class
 * path (registry-service's own tests, and modules that depend on its plain jar).
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.builder("failover").nodes(3).start()) {
 *     TestRegistry.Node leader = registry.awaitLeader();
 *     leader.stop();
 *     registry.awaitLeader();   // the survivors' new leader
 * }
 * }</pre>
 */
public final class TestRegistry implements AutoCloseable {

    /** Main class of registry-service, run from the test class path when its runnable jar is not there. */
    public static final String MAIN_CLASS = "io.flotilla.registryservice.RegistryServiceApplication";

    /** How long a cluster may take to agree on a leader: elections are slow on a loaded 2-core machine. */
    public static final Duration LEADER_WAIT = Duration.ofSeconds(90);

    private static final Pattern LEADER_ID = Pattern.compile("\"leaderId\"\\s*:\\s*\"([^\"]+)\"");

    private static TestRegistry shared;

    private final List<Node> nodes;

    private TestRegistry(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * One single-node registry shared by the test classes of a JVM that only read and write through it (each
     * with names of its own), started on first use and stopped when the JVM exits: a node start is the slow
     * part of such tests.
     */
    public static synchronized TestRegistry shared() {
        if (shared == null) {
            TestRegistry registry = builder("shared-registry").start();
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "test-registry-stop"));
            shared = registry;
        }
        return shared;
    }

    /** A registry of one node named {@code name} (used for its log file), not started yet. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The node {@code n<index + 1>}. */
    public Node node(int index) {
        return nodes.get(index);
    }

    /** The first node's HTTP address: the whole registry when it has one node. */
    public URI address() {
        return nodes.getFirst().address();
    }

    /** Every node's HTTP address, in node order. */
    public List<URI> addresses() {
        return nodes.stream().map(Node::address).toList();
    }

    /** Every node's HTTP address joined by commas, as {@code flotilla.registry.addresses} takes them. */
    public String addressList() {
        return addresses().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /**
     * The node that every running node names as leader, waiting up to {@link #LEADER_WAIT}. Leadership may move
     * at any later moment (an election needs only a few missed heartbeats on a loaded machine): a test that acts
     * on the leader must tolerate the step failing with "not leader" and ask again.
     */
    public Node awaitLeader() {
        return awaitLeader(LEADER_WAIT);
    }

    /** {@link #awaitLeader()} with another bound. */
    public Node awaitLeader(Duration bound) {
        return awaitLeader(bound, nodes);
    }

    /**
     * The node among {@code among} that every running one of them names as leader (the majority side of a
     * partition, say), waiting up to {@code bound}.
     */
    public Node awaitLeader(Duration bound, List<Node> among) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Node> leader = agreedLeader(among);
            if (leader.isPresent()) {
                return leader.get();
            }
            sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("the registry's nodes " + among.stream().map(Node::id).toList()
                + " agreed on no leader within " + bound + ":\n" + logTails());
    }

    private static Optional<Node> agreedLeader(List<Node> among) {
        String agreed = null;
        for (Node node : among) {
            if (!node.isAlive()) {
                continue;
            }
            Optional<String> named = node.leaderId();
            if (named.isEmpty() || (agreed != null && !agreed.equals(named.get()))) {
                return Optional.empty();
            }
            agreed = named.get();
        }
        String leaderId = agreed;
        return among.stream().filter(node -> node.id().equals(leaderId) && node.isAlive()).findFirst();
    }

    /**
     * Starts every node that is not running (after a kill of the whole cluster, say) together, and waits until all
     * name the same leader.
     */
    public void startStopped() {
        startTogether(nodes.stream().filter(node -> !node.isAlive()).toList());
        awaitLeader();
    }

    /** The last lines of every node's log, for failure messages. */
    public String logTails() {
        return nodes.stream()
            .map(node -> "---- " + node.process().name() + System.lineSeparator() + node.process().logTail())
            .collect(Collectors.joining(System.lineSeparator()));
    }

    /** Kills every node. */
    @Override
    public void close() {
        nodes.forEach(node -> node.process().kill());
    }

    private static void startTogether(List<Node> nodes) {
        // In parallel: a node of a cluster is healthy only once a quorum runs, and a JVM start is slow here.
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> starting = nodes.stream()
                .map(node -> CompletableFuture.runAsync(node::startProcess, starters))
                .toList();
            starting.forEach(CompletableFuture::join);
        }
    }

    /** Where registry-service's code is: its runnable jar if on the class path, else the class path itself. */
    private static JavaProcess.Builder processBuilder(String name) {
        Optional<Path> jar = JavaProcess.execJar("registry-service");
        if (jar.isPresent()) {
            return JavaProcess.jarBuilder(name, jar.get());
        }
        try {
            Class.forName(MAIN_CLASS, false, TestRegistry.class.getClassLoader());
        }
        catch (ClassNotFoundException e) {
            throw new IllegalStateException("registry-service is not on the test class path: add it as a test "
                    + "dependency (its plain jar, or its runnable jar with classifier exec)", e);
        }
        return JavaProcess.builder(name, MAIN_CLASS);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One registry node: a process that keeps its ports and data directory across restarts. */
    public static final class Node {

        private final String id;
        private final String host;
        private final URI address;
        private final JavaProcess process;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        private Node(String id, String host, URI address, JavaProcess process) {
            this.id = id;
            this.host = host;
            this.address = address;
            this.process = process;
        }

        /** The node id, {@code n1}, {@code n2}, ... */
        public String id() {
            return id;
        }

        /** The loopback address the node binds its HTTP and Raft ports to (and its Raft connections leave from). */
        public String host() {
            return host;
        }

        /** The node's HTTP address, {@code http://<host>:<port>}. */
        public URI address() {
            return address;
        }

        /** The process, to pause, resume or read the log of. */
        public JavaProcess process() {
            return process;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The leader this node names in {@code GET /v1/cluster} now; empty during an election or when down. */
        public Optional<String> leaderId() {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(address.resolve("/v1/cluster"))
                    .timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
                Matcher leader = LEADER_ID.matcher(answer.body());
                return answer.statusCode() == 200 && leader.find() ? Optional.of(leader.group(1)) : Optional.empty();
            }
            catch (IOException e) {
                return Optional.empty();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Stops the node gracefully; its port then refuses connections until {@link #start()}. */
        public void stop() {
            process.stop();
        }

        /** {@code kill -9}, like a crash. */
        public void kill() {
            process.kill();
        }

        /** Starts the stopped node again from its data directory and waits until it knows a leader. */
        public void start() {
            startProcess();
        }

        /** Stops and starts the node. */
        public void restart() {
            stop();
            start();
        }

        private void startProcess() {
            process.start();
            long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
            while (leaderId().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("registry node " + id + " knew no leader within " + LEADER_WAIT
                            + ":\n" + process.logTail());
                }
                sleep(Duration.ofMillis(50));
            }
        }
    }

    /** Size, extra arguments and data directory of a {@link TestRegistry}. */
    public static final class Builder {

        private final String name;
        private final List<String> args = new ArrayList<>();
        private List<String> hosts = List.of("127.0.0.1");
        private Path dataRoot;

        private Builder(String name) {
            this.name = name;
        }

        /** Number of nodes; more than one makes a cluster in which every node lists all as peers. */
        public Builder nodes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a registry has at least one node: " + count);
            }
            this.hosts = java.util.Collections.nCopies(count, "127.0.0.1");
            return this;
        }

        /**
         * One node per entry, node {@code i} bound to {@code hosts.get(i)} for HTTP and Raft (for example
         * 127.0.0.11, .12, .13, so that traffic between two nodes can be cut with iptables); all on 127.0.0.1 by
         * default.
         */
        public Builder hosts(List<String> addresses) {
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("a registry has at least one node");
            }
            this.hosts = List.copyOf(addresses);
            return this;
        }

        /**
         * Further {@code --name=value} arguments for every node, for example a token
         * ({@code --flotilla.registry.server.token=...}) or election time-outs.
         */
        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        /** Directory under which each node keeps its data in {@code <node-id>/}; a new temporary one by default. */
        public Builder dataRoot(Path directory) {
            this.dataRoot = directory;
            return this;
        }

        /** Starts every node and returns once all of them name the same leader. */
        public TestRegistry start() {
            Path root = dataRoot != null ? dataRoot : temporaryDirectory();
            int size = hosts.size();
            List<Integer> httpPorts = IntStream.range(0, size).mapToObj(i -> PortProbe.freePort(hosts.get(i))).toList();
            List<Integer> raftPorts = IntStream.range(0, size).mapToObj(i -> PortProbe.freePort(hosts.get(i))).toList();
            String peers = IntStream.range(0, size)
                .mapToObj(i -> "n" + (i + 1) + "@" + hosts.get(i) + ":" + raftPorts.get(i))
                .collect(Collectors.joining(","));
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String nodeId = "n" + (i + 1);
                String host = hosts.get(i);
                String url = "http://" + host + ":" + httpPorts.get(i);
                List<String> nodeArgs = new ArrayList<>(List.of("--server.port=" + httpPorts.get(i),
                        "--server.address=" + host, "--flotilla.registry.server.node-id=" + nodeId,
                        "--flotilla.registry.server.raft-host=" + host,
                        "--flotilla.registry.server.raft-port=" + raftPorts.get(i),
                        "--flotilla.registry.server.data-dir=" + root.resolve(nodeId),
                        // the registry client starter, when the test class path has it, must not register the registry
                        "--flotilla.registry.enabled=false", "--spring.jmx.enabled=false"));
                if (size > 1) {
                    // Raft addresses only: each node publishes its own HTTP address through the log.
                    nodeArgs.add("--flotilla.registry.server.peers=" + peers);
                }
                nodeArgs.addAll(args);
                JavaProcess process = processBuilder(size > 1 ? name + "-" + nodeId : name)
                    .args(nodeArgs.toArray(String[]::new))
                    .healthUrl(url + "/actuator/health")
                    // A JVM start took over 90 s on a 2-core machine at load average 30; that is not a failure.
                    .startTimeout(Duration.ofMinutes(5))
                    .build();
                nodes.add(new Node(nodeId, host, URI.create(url), process));
            }
            TestRegistry registry = new TestRegistry(nodes);
            try {
                startTogether(nodes);
                registry.awaitLeader();
                return registry;
            }
            catch (RuntimeException failed) {
                registry.close();
                throw failed;
            }
        }

        private static Path temporaryDirectory() {
            try {
                return Files.createTempDirectory("flotilla-test-registry");
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

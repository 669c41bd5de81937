package io.flotilla.registryservice.cluster;

import io.flotilla.registryservice.RegistryHttp;
import io.flotilla.registryservice.RegistryServiceApplication;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.process.JavaProcess;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Registry nodes as real processes (the test classpath's {@link RegistryServiceApplication}), each with its own
 * HTTP and Raft port and data directory, on 127.0.0.1 or each on its own loopback address (both
 * {@code server.address} and the Raft host, so its Raft connections leave from there too).
 */
final class RegistryCluster implements AutoCloseable {

    /** Raft election timeout bounds the nodes run with. */
    static final Duration ELECTION_MIN = Duration.ofMillis(1000);
    static final Duration ELECTION_MAX = Duration.ofMillis(2000);

    private final List<JavaProcess> processes = new ArrayList<>();
    private final List<String> hosts;
    private final List<Integer> httpPorts = new ArrayList<>();

    private RegistryCluster(List<String> hosts) {
        this.hosts = List.copyOf(hosts);
    }

    /** {@code size} nodes, all on 127.0.0.1. */
    static RegistryCluster start(String name, int size, Path dataRoot) {
        return start(name, java.util.Collections.nCopies(size, "127.0.0.1"), dataRoot);
    }

    /** One node per entry of {@code hosts}, node {@code i} bound to {@code hosts.get(i)} for HTTP and Raft. */
    static RegistryCluster start(String name, List<String> hosts, Path dataRoot) {
        RegistryCluster cluster = new RegistryCluster(hosts);
        int size = hosts.size();
        List<Integer> raftPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            cluster.httpPorts.add(PortProbe.freePort(hosts.get(i)));
            raftPorts.add(PortProbe.freePort(hosts.get(i)));
        }
        String peers = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> nodeId(i) + "@" + hosts.get(i) + ":" + raftPorts.get(i))
                .collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            String nodeId = nodeId(i);
            cluster.processes.add(JavaProcess.builder(name + "-" + nodeId, RegistryServiceApplication.class)
                    .args("--server.address=" + hosts.get(i),
                            "--server.port=" + cluster.httpPorts.get(i),
                            "--flotilla.registry.server.node-id=" + nodeId,
                            "--flotilla.registry.server.raft-host=" + hosts.get(i),
                            "--flotilla.registry.server.raft-port=" + raftPorts.get(i),
                            "--flotilla.registry.server.peers=" + peers,
                            "--flotilla.registry.server.data-dir=" + dataRoot.resolve(nodeId),
                            "--flotilla.registry.server.election-timeout-min=" + ELECTION_MIN.toMillis() + "ms",
                            "--flotilla.registry.server.election-timeout-max=" + ELECTION_MAX.toMillis() + "ms",
                            "--logging.level.io.flotilla=INFO")
                    .healthUrl(cluster.baseUrl(i) + "/actuator/health")
                    // A JVM start took over 90 s on a 2-core machine at load average 30; that is not a failure.
                    .startTimeout(Duration.ofMinutes(4))
                    .build());
        }
        try {
            cluster.startAll();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts every node that is not running, in parallel (a JVM start is slow on a busy machine). */
    void startAll() {
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<JavaProcess>> starting = processes.stream().filter(process -> !process.isAlive())
                    .map(process -> CompletableFuture.supplyAsync(process::start, starters)).toList();
            starting.forEach(CompletableFuture::join);
        }
    }

    int size() {
        return processes.size();
    }

    JavaProcess process(int node) {
        return processes.get(node);
    }

    RegistryHttp client(int node) {
        return new RegistryHttp(baseUrl(node));
    }

    RegistryHttp client(int node, Duration timeout) {
        return new RegistryHttp(baseUrl(node), null, timeout);
    }

    /** The address node {@code node} is bound to. */
    String host(int node) {
        return hosts.get(node);
    }

    static String nodeId(int node) {
        return "n" + (node + 1);
    }

    private String baseUrl(int node) {
        return "http://" + hosts.get(node) + ":" + httpPorts.get(node);
    }

    /** The node that calls itself leader and that every live node agrees on, waiting up to {@code bound}. */
    int awaitLeader(Duration bound) {
        return awaitLeader(bound, java.util.stream.IntStream.range(0, processes.size()).boxed().toList());
    }

    /** The node among {@code nodes} that calls itself leader and that every live one of them agrees on. */
    int awaitLeader(Duration bound, List<Integer> nodes) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> leader = agreedLeader(nodes);
            if (leader.isPresent()) {
                return leader.get();
            }
            sleep(50);
        }
        throw new AssertionError("no agreed leader among " + nodes + " within " + bound + "; logs:\n" + logTails());
    }

    private Optional<Integer> agreedLeader(List<Integer> nodes) {
        String agreed = null;
        for (int i : nodes) {
            if (!processes.get(i).isAlive()) {
                continue;
            }
            try {
                JsonNode view = client(i, Duration.ofSeconds(2)).get("/v1/cluster").json();
                JsonNode leader = view.get("leaderId");
                if (leader == null || leader.isNull()) {
                    return Optional.empty();
                }
                if (agreed != null && !agreed.equals(leader.asString())) {
                    return Optional.empty();
                }
                agreed = leader.asString();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        if (agreed == null) {
            return Optional.empty();
        }
        int index = Integer.parseInt(agreed.substring(1)) - 1;
        return nodes.contains(index) && processes.get(index).isAlive() ? Optional.of(index) : Optional.empty();
    }

    String logTails() {
        StringBuilder tails = new StringBuilder();
        for (JavaProcess process : processes) {
            tails.append("---- ").append(process.name()).append('\n').append(process.logTail()).append('\n');
        }
        return tails.toString();
    }

    @Override
    public void close() {
        processes.forEach(JavaProcess::kill);
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

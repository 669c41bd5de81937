package io.flotilla.registryservice.cluster;

import io.flotilla.registryservice.RegistryHttp;
import io.flotilla.registryservice.RegistryServiceApplication;
import io.flotilla.testsupport.process.JavaProcess;
import io.flotilla.testsupport.process.TestRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Registry nodes as real processes (test-support's {@link TestRegistry}, running this module's
 * {@link RegistryServiceApplication} from the test class path), addressed by index, with this module's HTTP client.
 * Each node has its own HTTP and Raft port and data directory, on 127.0.0.1 or each on its own loopback address
 * (both {@code server.address} and the Raft host, so its Raft connections leave from there too).
 */
final class RegistryCluster implements AutoCloseable {

    /** Raft election timeout bounds the nodes run with. */
    static final Duration ELECTION_MIN = Duration.ofMillis(1000);
    static final Duration ELECTION_MAX = Duration.ofMillis(2000);

    private final TestRegistry nodes;

    private RegistryCluster(TestRegistry nodes) {
        this.nodes = nodes;
    }

    /** {@code size} nodes, all on 127.0.0.1. */
    static RegistryCluster start(String name, int size, Path dataRoot) {
        return start(name, Collections.nCopies(size, "127.0.0.1"), dataRoot);
    }

    /** One node per entry of {@code hosts}, node {@code i} bound to {@code hosts.get(i)} for HTTP and Raft. */
    static RegistryCluster start(String name, List<String> hosts, Path dataRoot) {
        return new RegistryCluster(TestRegistry.builder(name)
                .hosts(hosts)
                .dataRoot(dataRoot)
                .args("--flotilla.registry.server.election-timeout-min=" + ELECTION_MIN.toMillis() + "ms",
                        "--flotilla.registry.server.election-timeout-max=" + ELECTION_MAX.toMillis() + "ms",
                        "--logging.level.io.flotilla=INFO")
                .start());
    }

    /** Starts every node that is not running, in parallel (a JVM start is slow on a busy machine). */
    void startAll() {
        nodes.startStopped();
    }

    int size() {
        return nodes.nodes().size();
    }

    JavaProcess process(int node) {
        return nodes.node(node).process();
    }

    RegistryHttp client(int node) {
        return new RegistryHttp(nodes.node(node).address().toString());
    }

    RegistryHttp client(int node, Duration timeout) {
        return new RegistryHttp(nodes.node(node).address().toString(), null, timeout);
    }

    /** The address node {@code node} is bound to. */
    String host(int node) {
        return nodes.node(node).host();
    }

    static String nodeId(int node) {
        return "n" + (node + 1);
    }

    /**
     * The node that calls itself leader and that every live node agrees on, waiting up to {@code bound}. It may
     * have lost leadership by the time the caller acts on it.
     */
    int awaitLeader(Duration bound) {
        return nodes.nodes().indexOf(nodes.awaitLeader(bound));
    }

    /** The node among {@code among} that calls itself leader and that every live one of them agrees on. */
    int awaitLeader(Duration bound, List<Integer> among) {
        return nodes.nodes().indexOf(nodes.awaitLeader(bound, among.stream().map(nodes::node).toList()));
    }

    String logTails() {
        return nodes.logTails();
    }

    @Override
    public void close() {
        nodes.close();
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

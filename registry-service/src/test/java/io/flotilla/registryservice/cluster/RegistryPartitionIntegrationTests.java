package io.flotilla.registryservice.cluster;

import io.flotilla.registryservice.RegistryHttp;
import io.flotilla.testsupport.network.LoopbackPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three registry nodes as real processes, each on its own loopback address (HTTP and Raft, so its Raft
 * connections leave from there), and real partitions between them: {@code iptables} DROP rules
 * ({@link LoopbackPartitions}). The test client talks to every node from 127.0.0.1, which no rule cuts.
 *
 * <p>The leader is cut off from both followers. It must acknowledge no write and serve no default
 * (linearizable) read: each answers 503 or times out, never a value. The majority elects a leader and accepts
 * writes; after the heal every acknowledged write is on every node and the isolated node's unacknowledged writes
 * are on none. Nothing assumes a leader stays put: leadership is looked up, and waits are bounded polls.
 *
 * <p>Needs Linux, root and iptables; fails (never skips) saying what is missing.
 */
class RegistryPartitionIntegrationTests {

    private static final List<String> HOSTS = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");
    /** Bound of every wait for an election, a write or a catch-up; generous for a loaded 2-core machine. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    /** Longer than the service's own 10 s write and read time-outs, so a 503 normally arrives first. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(25);
    private static final int ATTEMPTS_TO_CUT_A_LEADER = 5;
    private static final String REGISTER = "partition/register";

    private final Map<String, Acknowledged> acknowledged = new LinkedHashMap<>();

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void anIsolatedLeaderAcknowledgesNothingAndTheMajorityMovesOnWithoutLosingAnAcknowledgedWrite(
            @TempDir Path dataRoot) {
        // Checked before any JVM starts: without root, iptables or the addresses, fail now and say which.
        try (LoopbackPartitions partitions = LoopbackPartitions.open(HOSTS.toArray(String[]::new));
             RegistryCluster cluster = RegistryCluster.start("partition", HOSTS, dataRoot)) {
            cluster.awaitLeader(PATIENCE);
            putUntilAcknowledged(cluster, List.of(0, 1, 2), REGISTER, "before-the-cut");
            awaitEveryNodeHasEveryAcknowledgedWrite(cluster, List.of(0, 1, 2));

            int isolated = cutOffTheLeader(cluster, partitions);
            List<Integer> majority = List.of(0, 1, 2).stream().filter(node -> node != isolated).toList();
            RegistryHttp oldLeader = cluster.client(isolated, REQUEST_TIMEOUT);

            try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
                // While it still believes it leads: a write and a linearizable read, both needing a quorum it lacks.
                CompletableFuture<Outcome> writeAtOldLeader = CompletableFuture.supplyAsync(
                        () -> Outcome.of(() -> oldLeader.put("/v1/kv/partition/isolated-1", "lost")), requests);
                CompletableFuture<Outcome> readAtOldLeader = CompletableFuture.supplyAsync(
                        () -> Outcome.of(() -> oldLeader.get("/v1/kv/" + REGISTER + "?raw")), requests);

                int newLeader = cluster.awaitLeader(PATIENCE, majority);
                assertThat(newLeader).isIn(majority);
                putUntilAcknowledged(cluster, majority, REGISTER, "after-the-cut");
                for (int i = 1; i <= 3; i++) {
                    putUntilAcknowledged(cluster, majority, "partition/majority-" + i, "written-" + i);
                }

                System.out.printf("isolated old leader %s; majority leader %s; at the old leader a write got %s, "
                        + "a linearizable read %s%n", RegistryCluster.nodeId(isolated),
                        RegistryCluster.nodeId(newLeader), writeAtOldLeader.join(), readAtOldLeader.join());
                assertRefusedOrUnanswered(writeAtOldLeader.join(), "write at the isolated old leader", cluster);
                assertRefusedOrUnanswered(readAtOldLeader.join(), "linearizable read at the isolated old leader",
                        cluster);
            }
            // Now the majority has acknowledged a newer value: the isolated node's copy is stale, and it must not
            // be served as a default read.
            assertThat(oldLeader.get("/v1/kv/" + REGISTER + "?raw&consistency=stale").body())
                    .as("the isolated node's own (stale) copy: the partition is real").isEqualTo("before-the-cut");
            assertRefusedOrUnanswered(Outcome.of(() -> oldLeader.get("/v1/kv/" + REGISTER + "?raw")),
                    "linearizable read at the isolated node after the majority moved on", cluster);
            assertRefusedOrUnanswered(Outcome.of(() -> oldLeader.put("/v1/kv/partition/isolated-2", "lost")),
                    "write at the isolated node after the majority moved on", cluster);

            partitions.heal();
            cluster.awaitLeader(PATIENCE);
            awaitEveryNodeHasEveryAcknowledgedWrite(cluster, List.of(0, 1, 2));
            long lastAcknowledged = acknowledged.values().stream().mapToLong(Acknowledged::index).max().orElseThrow();
            for (int node = 0; node < HOSTS.size(); node++) {
                for (String lost : List.of("partition/isolated-1", "partition/isolated-2")) {
                    RegistryHttp.Answer answer = cluster.client(node, REQUEST_TIMEOUT)
                            .get("/v1/kv/" + lost + "?consistency=stale&min-index=" + lastAcknowledged);
                    assertThat(answer.status()).as("unacknowledged %s at %s: %s", lost, RegistryCluster.nodeId(node),
                            answer.body()).isEqualTo(404);
                }
            }
        }
    }

    /**
     * Isolates the node that leads, and returns it. Leadership may move between looking it up and cutting; then
     * the cut node is not a leader, so heal and try again.
     */
    private static int cutOffTheLeader(RegistryCluster cluster, LoopbackPartitions partitions) {
        for (int attempt = 1; attempt <= ATTEMPTS_TO_CUT_A_LEADER; attempt++) {
            int leader = cluster.awaitLeader(PATIENCE);
            partitions.isolate(cluster.host(leader));
            JsonNode view = cluster.client(leader, REQUEST_TIMEOUT).get("/v1/cluster").json();
            if (RegistryCluster.nodeId(leader).equals(view.path("leaderId").asString(""))) {
                return leader;
            }
            partitions.heal();
        }
        throw new AssertionError("leadership moved before every one of " + ATTEMPTS_TO_CUT_A_LEADER + " cuts");
    }

    /**
     * PUTs {@code value} at {@code key} through the given nodes in turn until one answers 200. Writing the same
     * value again is harmless, so a 503 or a time-out (outcome unknown) is simply retried.
     */
    private void putUntilAcknowledged(RegistryCluster cluster, List<Integer> nodes, String key, String value) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Outcome last = null;
        for (int turn = 0; System.nanoTime() < deadline; turn++) {
            RegistryHttp client = cluster.client(nodes.get(turn % nodes.size()), REQUEST_TIMEOUT);
            last = Outcome.of(() -> client.put("/v1/kv/" + key, value));
            if (last.status() == 200) {
                assertThat(last.index()).as("X-Flotilla-Index of %s", last).isPositive();
                acknowledged.put(key, new Acknowledged(value, last.index()));
                return;
            }
            RegistryCluster.sleep(200);
        }
        throw new AssertionError("no node of " + nodes + " acknowledged " + key + "=" + value + " within " + PATIENCE
                + " (last: " + last + "); logs:\n" + cluster.logTails());
    }

    /** Every node answers every acknowledged key with its acknowledged value, from its own state. */
    private void awaitEveryNodeHasEveryAcknowledgedWrite(RegistryCluster cluster, List<Integer> nodes) {
        long lastAcknowledged = acknowledged.values().stream().mapToLong(Acknowledged::index).max().orElseThrow();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int node : nodes) {
            RegistryHttp client = cluster.client(node, REQUEST_TIMEOUT);
            for (Map.Entry<String, Acknowledged> write : acknowledged.entrySet()) {
                String path = "/v1/kv/" + write.getKey() + "?raw&consistency=stale&min-index=" + lastAcknowledged;
                Outcome answer = Outcome.of(() -> client.get(path));
                while (answer.status() != 200 && System.nanoTime() < deadline) {
                    RegistryCluster.sleep(200);
                    answer = Outcome.of(() -> client.get(path));
                }
                assertThat(answer.status()).as("%s at %s by index %d: %s; logs:%n%s", write.getKey(),
                        RegistryCluster.nodeId(node), lastAcknowledged, answer, cluster.logTails()).isEqualTo(200);
                assertThat(answer.body()).as("%s at %s", write.getKey(), RegistryCluster.nodeId(node))
                        .isEqualTo(write.getValue().value());
            }
        }
    }

    /** Refused (503) or unanswered: no acknowledgement, no value and no 404 (which would be a stale "absent"). */
    private static void assertRefusedOrUnanswered(Outcome outcome, String what, RegistryCluster cluster) {
        assertThat(outcome.status()).as("%s must be refused (503) or time out, got %s; logs:%n%s", what, outcome,
                cluster.logTails()).isIn(503, Outcome.TIMED_OUT);
    }

    private record Acknowledged(String value, long index) {
    }

    /** An HTTP answer, or {@link #TIMED_OUT} when none came (connection stalled or the request timed out). */
    private record Outcome(int status, String body, long index) {

        static final int TIMED_OUT = -1;

        static Outcome of(Supplier<RegistryHttp.Answer> request) {
            try {
                RegistryHttp.Answer answer = request.get();
                return new Outcome(answer.status(), answer.body(),
                        answer.index().map(Long::parseLong).orElse(-1L));
            } catch (UncheckedIOException e) {
                return new Outcome(TIMED_OUT, e.getCause().toString(), -1);
            }
        }
    }
}

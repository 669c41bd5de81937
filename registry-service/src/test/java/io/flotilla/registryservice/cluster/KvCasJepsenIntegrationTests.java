package io.flotilla.registryservice.cluster;

import io.flotilla.registryservice.RegistryHttp;
import io.flotilla.testsupport.linearizability.CheckResult;
import io.flotilla.testsupport.linearizability.HistoryRecorder;
import io.flotilla.testsupport.linearizability.KvInput;
import io.flotilla.testsupport.linearizability.KvModel;
import io.flotilla.testsupport.linearizability.LinearizabilityChecker;
import io.flotilla.testsupport.linearizability.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jepsen-style: clients put, read and compare-and-set keys over HTTP against any node (followers forward) while a
 * nemesis kills nodes with {@code kill -9} and restarts them from disk, and pauses others. The recorded history
 * (timed-out and 503 writes count as "may or may not have happened") must be linearizable.
 *
 * <p>The HTTP CAS compares versions ({@code ?cas=modIndex}); a value CAS is built from a linearizable read of
 * value and modIndex followed by {@code PUT ?cas=modIndex}: when that PUT succeeds the value was still the one
 * read, so the operation took effect atomically at the PUT. A read that shows another value answers
 * {@code false} at the read.
 *
 * <p>Replay: the seed is printed; run with {@code -Dflotilla.registry.jepsen.seed=<seed>} (node timing still
 * varies, so a replay repeats the client and nemesis choices, not the interleaving).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KvCasJepsenIntegrationTests {

    private static final int CLIENTS = 3;
    private static final int KEYS = 10;
    private static final Duration RUN = Duration.ofSeconds(30);

    private RegistryCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void casHistoryUnderKillsAndRestartsIsLinearizable() throws Exception {
        long seed = Long.getLong("flotilla.registry.jepsen.seed", System.nanoTime());
        System.out.println("KvCasJepsenIntegrationTests seed " + seed + " (replay: -Dflotilla.registry.jepsen.seed="
                + seed + ")");
        cluster = RegistryCluster.start("jepsen", 3, Files.createTempDirectory("registry-jepsen"));
        cluster.awaitLeader(Duration.ofSeconds(30));

        HistoryRecorder history = HistoryRecorder.onNanoTime();
        Map<Integer, Boolean> alive = new ConcurrentHashMap<>(Map.of(0, true, 1, true, 2, true));
        AtomicBoolean running = new AtomicBoolean(true);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Future<Integer>> clients = new ArrayList<>();
        int kills;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                Client client = new Client(c, seeds.split(), history, alive, running);
                clients.add(threads.submit(client::run));
            }
            kills = nemesis(seeds.split(), alive);
            running.set(false);
            for (Future<Integer> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
        }
        cluster.startAll();

        List<Operation> operations = history.operations();
        long completed = operations.stream()
                .filter(op -> op.returnTime() != Operation.UNKNOWN_RETURN_TIME).count();
        System.out.println("Jepsen run: " + operations.size() + " operations (" + completed + " completed), " + kills
                + " kills");
        assertThat(kills).as("the nemesis killed nodes").isGreaterThanOrEqualTo(2);
        assertThat(completed).as("clients made progress").isGreaterThan(100);
        CheckResult result = LinearizabilityChecker.check(new KvModel(), operations, Duration.ofSeconds(60));
        assertThat(result.verdict()).as("seed " + seed + ": " + result.explanation())
                .isEqualTo(CheckResult.Verdict.OK);
    }

    /**
     * Alternates {@code kill -9} + restart from disk (the leader first, then a random node) with SIGSTOP pauses
     * of a random node (a frozen VM: it misses elections, then wakes with a stale view), until the run time is
     * over and at least two kills happened.
     */
    private int nemesis(SplittableRandom random, Map<Integer, Boolean> alive) {
        long end = System.nanoTime() + RUN.toNanos();
        int kills = 0;
        int round = 0;
        RegistryCluster.sleep(2_000);
        while (System.nanoTime() < end || kills < 2) {
            int victim = round == 0 ? cluster.awaitLeader(Duration.ofSeconds(30)) : random.nextInt(3);
            alive.put(victim, false);
            if (round % 2 == 0) {
                cluster.process(victim).kill();
                kills++;
                RegistryCluster.sleep(1_000 + random.nextInt(2_000));
                cluster.process(victim).start();
            } else {
                cluster.process(victim).pause();
                RegistryCluster.sleep(2_000 + random.nextInt(2_000));
                cluster.process(victim).resume();
            }
            alive.put(victim, true);
            round++;
            RegistryCluster.sleep(1_000 + random.nextInt(2_000));
        }
        return kills;
    }

    private final class Client {

        private final int id;
        private final SplittableRandom random;
        private final HistoryRecorder history;
        private final Map<Integer, Boolean> alive;
        private final AtomicBoolean running;
        private final Map<String, String> lastSeen = new HashMap<>();
        private int sequence;

        Client(int id, SplittableRandom random, HistoryRecorder history, Map<Integer, Boolean> alive,
               AtomicBoolean running) {
            this.id = id;
            this.random = random;
            this.history = history;
            this.alive = alive;
            this.running = running;
        }

        int run() {
            int operations = 0;
            while (running.get()) {
                RegistryHttp node = pickNode();
                String key = "k" + random.nextInt(KEYS);
                int dice = random.nextInt(10);
                boolean ok;
                if (dice < 4) {
                    ok = get(node, key);
                } else if (dice < 7) {
                    ok = put(node, key, "c" + id + "-" + (++sequence));
                } else {
                    ok = cas(node, key, lastSeen.get(key), "c" + id + "-" + (++sequence));
                }
                operations++;
                if (!ok) {
                    // Back off like a client honouring Retry-After, so an election does not flood the history with unknowns.
                    RegistryCluster.sleep(300);
                }
            }
            return operations;
        }

        private RegistryHttp pickNode() {
            List<Integer> up = alive.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
            int node = up.isEmpty() ? random.nextInt(3) : up.get(random.nextInt(up.size()));
            return cluster.client(node, Duration.ofSeconds(5));
        }

        private boolean get(RegistryHttp node, String key) {
            HistoryRecorder.Handle op = history.invoke(id, new KvInput.Get(key));
            Read read = read(node, key);
            if (read == null) {
                history.timeout(op);
                return false;
            }
            history.ok(op, read.value());
            lastSeen.put(key, read.value());
            return true;
        }

        private boolean put(RegistryHttp node, String key, String value) {
            HistoryRecorder.Handle op = history.invoke(id, new KvInput.Put(key, value));
            int status = status(() -> node.put("/v1/kv/jepsen/" + key, value));
            if (status == 200) {
                history.ok(op, KvModel.Ack.OK);
                return true;
            }
            history.timeout(op);
            return false;
        }

        private boolean cas(RegistryHttp node, String key, String expected, String value) {
            HistoryRecorder.Handle op = history.invoke(id, new KvInput.Cas(key, expected, value));
            for (int attempt = 0; attempt < 3; attempt++) {
                Read read = read(node, key);
                if (read == null) {
                    break;
                }
                if (!java.util.Objects.equals(read.value(), expected)) {
                    history.ok(op, Boolean.FALSE);
                    lastSeen.put(key, read.value());
                    return true;
                }
                int status = status(() -> node.put("/v1/kv/jepsen/" + key + "?cas=" + read.modIndex(), value));
                if (status == 200) {
                    history.ok(op, Boolean.TRUE);
                    lastSeen.put(key, value);
                    return true;
                }
                if (status != 409) {
                    break;
                }
            }
            history.timeout(op);
            return false;
        }

        /** A linearizable read of value and modIndex (0 when absent), or null when the node could not answer. */
        private Read read(RegistryHttp node, String key) {
            try {
                RegistryHttp.Answer answer = node.get("/v1/kv/jepsen/" + key);
                if (answer.status() == 404) {
                    return new Read(null, 0);
                }
                if (answer.status() != 200) {
                    assertThat(answer.status()).as(answer.body()).isEqualTo(503);
                    return null;
                }
                JsonNode entry = answer.json();
                return new Read(new String(java.util.Base64.getDecoder().decode(entry.get("value").asString()),
                        java.nio.charset.StandardCharsets.UTF_8), entry.get("modIndex").asLong());
            } catch (UncheckedIOException e) {
                return null;
            }
        }

        private static int status(java.util.function.Supplier<RegistryHttp.Answer> call) {
            try {
                RegistryHttp.Answer answer = call.get();
                if (answer.status() != 200 && answer.status() != 409) {
                    assertThat(answer.status()).as(answer.body()).isEqualTo(503);
                }
                return answer.status();
            } catch (UncheckedIOException e) {
                return -1;
            }
        }
    }

    private record Read(String value, long modIndex) {
    }
}

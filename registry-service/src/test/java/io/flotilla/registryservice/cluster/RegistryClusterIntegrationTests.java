package io.flotilla.registryservice.cluster;

import io.flotilla.registryservice.RegistryHttp;
import io.flotilla.testsupport.linearizability.CheckResult;
import io.flotilla.testsupport.linearizability.HistoryRecorder;
import io.flotilla.testsupport.linearizability.KvModel;
import io.flotilla.testsupport.linearizability.LinearizabilityChecker;
import io.flotilla.testsupport.linearizability.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three registry nodes as real processes on loopback: lease expiry timing, losing the leader (kill -9) with 100
 * registrations, a full restart from disk, and a Jepsen-style KV CAS run under kills and pauses. The tests share
 * one cluster (JVM start-ups dominate their time) and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RegistryClusterIntegrationTests {

    private static final Duration STARTUP_ELECTION = Duration.ofSeconds(30);
    private static final int JEPSEN_CLIENTS = 3;
    private static final Duration JEPSEN_RUN = Duration.ofSeconds(30);
    private RegistryCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        Path dataRoot = Files.createTempDirectory("registry-cluster");
        cluster = RegistryCluster.start("cluster", 3, dataRoot);
        cluster.awaitLeader(STARTUP_ELECTION);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The nodes were started with a peer list of Raft addresses only, on free ports. Before the kit the HTTP port was
     * guessed as raftPort - 1000 and two writes in three failed; now each node published its own address, every
     * node is ready once it can serve, and a write sent to any of them succeeds on the first try.
     */
    @Test
    @Order(0)
    void everyNodeAcceptsWritesWithARaftPortOnlyPeerList() {
        for (int node = 0; node < cluster.size(); node++) {
            RegistryHttp client = cluster.client(node);
            long deadline = System.nanoTime() + STARTUP_ELECTION.toNanos();
            while (client.get("/actuator/health/readiness").status() != 200) {
                assertThat(System.nanoTime()).as("node %d ready", node).isLessThan(deadline);
                RegistryCluster.sleep(50);
            }
        }
        for (int node = 0; node < cluster.size(); node++) {
            RegistryHttp.Answer written = cluster.client(node).register("any-port", "a-" + node, 7100 + node, 30);
            assertThat(written.status()).as("write at node %d: %s", node, written.body()).isEqualTo(201);
        }
        JsonNode members = cluster.client(0).get("/v1/cluster").json().get("members");
        for (JsonNode member : members) {
            assertThat(member.get("httpAddress").asString()).as("%s published its address", member.get("id"))
                    .startsWith("http://127.0.0.1:");
        }
    }

    /**
     * The instance is watched through a follower with blocking queries. Its last heartbeat's request was sent at
     * {@code lastSent}; the leader set the deadline no earlier, so the instance must still be listed by any answer
     * returned before {@code lastSent + TTL}, and gone in an answer to a query sent by {@code lastAnswered + TTL + 2 s}.
     * The bounds hold for one leader (a new leader restarts every TTL): a run during which the term moved (an
     * election on a loaded machine) proves nothing and is repeated with a fresh instance, up to three times.
     */
    @Test
    @Order(1)
    void silentInstanceDisappearsAfterItsTtlAndNotBefore() {
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (silentInstanceRunWithOneLeader("silent-" + attempt)) {
                return;
            }
        }
        throw new AssertionError("the leader changed during each of three runs:\n" + cluster.logTails());
    }

    /** One run of the TTL test; false when the term moved during it, so that its timings are not evidence. */
    private boolean silentInstanceRunWithOneLeader(String service) {
        long ttlMillis = 3_000;
        int leader = cluster.awaitLeader(STARTUP_ELECTION);
        long term = term(leader);
        int watcher = (leader + 1) % 3;
        RegistryHttp writes = cluster.client(leader);
        RegistryHttp reads = cluster.client(watcher, Duration.ofSeconds(30));
        if (writes.register(service, "s-1", 7001, ttlMillis / 1000).status() != 201) {
            return termMovedOrFail(leader, term, "registration refused");
        }
        long lastSent = 0;
        long lastAnswered = 0;
        for (int beat = 0; beat < 4; beat++) {
            RegistryCluster.sleep(700);
            lastSent = System.nanoTime();
            if (writes.put("/v1/services/" + service + "/instances/s-1/heartbeat", null).status() != 200) {
                return termMovedOrFail(leader, term, "heartbeat refused");
            }
            lastAnswered = System.nanoTime();
        }
        long index = 0;
        long goneAfterLastSent;
        long longestListedAfterLastAnswer = 0;
        while (true) {
            long sent = System.nanoTime();
            RegistryHttp.Answer answer = reads.get("/v1/services/" + service + "/instances?consistency=stale&index="
                    + index + "&wait=1s");
            long returned = System.nanoTime();
            assertThat(answer.status()).isEqualTo(200);
            index = answer.indexValue();
            if (answer.json().size() != 1) {
                goneAfterLastSent = returned - lastSent;
                break;
            }
            longestListedAfterLastAnswer = Math.max(longestListedAfterLastAnswer, sent - lastAnswered);
        }
        if (term(leader) != term) {
            return false;
        }
        assertThat(goneAfterLastSent).as("gone only after its TTL")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(ttlMillis));
        assertThat(longestListedAfterLastAnswer).as("gone within TTL + 2 s")
                .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(ttlMillis + 2_000));
        return true;
    }

    /** The term a node reports, or -1 when it does not answer. */
    private long term(int node) {
        try {
            RegistryHttp.Answer view = cluster.client(node, Duration.ofSeconds(10)).get("/v1/cluster");
            return view.status() == 200 ? view.json().get("term").asLong() : -1;
        } catch (java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** A write refused at the leader is expected only when an election intervened. */
    private boolean termMovedOrFail(int leader, long term, String what) {
        assertThat(term(leader)).as(what + " while the term stood still").isNotEqualTo(term);
        return false;
    }

    @Test
    @Order(2)
    void losingTheLeaderLosesNoRegistrationAndServiceResumesWithinTwoElectionTimeouts() {
        cluster.awaitLeader(STARTUP_ELECTION);
        for (int i = 0; i < 100; i++) {
            int instance = i;
            // Registering is idempotent, so a 503 from an election in between is retried.
            retryUntilOk(() -> cluster.client(instance % 3).register("fleet", "f-" + instance, 10_000 + instance, 120));
        }
        // Asked again just before the kill: leadership may have moved during the registrations.
        int leader = cluster.awaitLeader(STARTUP_ELECTION);
        int survivor = (leader + 1) % 3;
        RegistryHttp client = cluster.client(survivor, Duration.ofSeconds(5));

        long killedAt = System.nanoTime();
        cluster.process(leader).kill();
        JsonNode instances = retryUntilOk(() -> client.get("/v1/services/fleet/instances"));
        long discoveryBack = System.nanoTime();
        retryUntilOk(() -> client.register("fleet", "f-after", 20_000, 120));
        long registrationBack = System.nanoTime();

        assertThat(ids(instances)).hasSize(100);
        long bound = 2 * RegistryCluster.ELECTION_MAX.toNanos();
        assertThat(discoveryBack - killedAt).as("discovery back within 2 election timeouts").isLessThanOrEqualTo(bound);
        assertThat(registrationBack - killedAt).as("registration back within 2 election timeouts")
                .isLessThanOrEqualTo(bound);

        cluster.process(leader).start();
        cluster.awaitLeader(STARTUP_ELECTION);
        RegistryHttp rejoined = cluster.client(leader, Duration.ofSeconds(30));
        JsonNode caughtUp = retryUntilOk(() -> rejoined.get("/v1/services/fleet/instances?consistency=stale&min-index="
                + client.get("/v1/services/fleet/instances").indexValue()));
        assertThat(ids(caughtUp)).hasSize(101);
    }

    @Test
    @Order(3)
    void registrationsAndKeysComeBackAfterEveryNodeRestarts() {
        cluster.awaitLeader(STARTUP_ELECTION);
        RegistryHttp client = cluster.client(0);
        for (int i = 0; i < 10; i++) {
            int item = i;
            // Both writes are idempotent: a 503 from an election in between is retried.
            retryUntilOk(() -> client.register("durable", "d-" + item, 30_000 + item, 300));
            retryUntilOk(() -> client.put("/v1/kv/durable/key-" + item, "value-" + item));
        }
        for (int node = 0; node < 3; node++) {
            cluster.process(node).kill();
        }
        cluster.startAll();
        cluster.awaitLeader(STARTUP_ELECTION);
        JsonNode instances = retryUntilOk(() -> cluster.client(1).get("/v1/services/durable/instances"));
        assertThat(ids(instances)).hasSize(10);
        JsonNode keys = retryUntilOk(() -> cluster.client(2).get("/v1/kv/durable/?recurse"));
        assertThat(keys.size()).isEqualTo(10);
        assertThat(cluster.client(0).get("/v1/kv/durable/key-7?raw").body()).isEqualTo("value-7");
        assertThat(retryUntilOk(() -> cluster.client(0).get("/v1/services/fleet/instances")).size()).isEqualTo(101);
    }

    /**
     * Jepsen-style, last because it kills nodes: clients put, read and compare-and-set keys over HTTP at any node
     * (followers forward) while a nemesis kills nodes and restarts them from disk, and pauses others. The history
     * must be linearizable. Prints its seed: {@code -Dflotilla.registry.jepsen.seed=<seed>} replays the client
     * and nemesis choices (not the nodes' timing).
     */
    @Test
    @Order(4)
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void casHistoryUnderKillsRestartsAndPausesIsLinearizable() throws Exception {
        long seed = Long.getLong("flotilla.registry.jepsen.seed", System.nanoTime());
        System.out.println("Jepsen seed " + seed + " (replay: -Dflotilla.registry.jepsen.seed="
                + seed + ")");
        cluster.awaitLeader(STARTUP_ELECTION);

        HistoryRecorder history = HistoryRecorder.onNanoTime();
        Map<Integer, Boolean> alive = new ConcurrentHashMap<>(Map.of(0, true, 1, true, 2, true));
        AtomicBoolean running = new AtomicBoolean(true);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Future<Integer>> clients = new ArrayList<>();
        int kills;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < JEPSEN_CLIENTS; c++) {
                CasClient client = new CasClient(cluster, c, seeds.split(), history, alive, running);
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
        long end = System.nanoTime() + JEPSEN_RUN.toNanos();
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

    private static Set<String> ids(JsonNode instances) {
        Set<String> ids = new HashSet<>();
        instances.forEach(instance -> ids.add(instance.get("instanceId").asString()));
        return ids;
    }

    /** Retries 503s and refused connections (a dead node, an election) until a 2xx, for up to 60 s. */
    private JsonNode retryUntilOk(java.util.function.Supplier<RegistryHttp.Answer> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                RegistryHttp.Answer answer = call.get();
                if (answer.status() / 100 == 2) {
                    return answer.json();
                }
                last = answer.status() + " " + answer.body();
                assertThat(answer.status()).as(last).isEqualTo(503);
                assertThat(answer.retryAfter()).as("503 carries Retry-After").isPresent();
            } catch (java.io.UncheckedIOException e) {
                last = e.getMessage();
            }
            RegistryCluster.sleep(25);
        }
        throw new AssertionError("no success within 60 s; last: " + last + "\n" + cluster.logTails());
    }
}

package io.flotilla.raft.sim;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.RaftOptions;
import io.flotilla.testsupport.linearizability.CheckResult;
import io.flotilla.testsupport.linearizability.KvModel;
import io.flotilla.testsupport.linearizability.LinearizabilityChecker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * One randomized run for one seed: a 3- or 5-node cluster, KV clients (three with sessions writing anywhere,
 * one without a session writing through followers, see {@link SimClient#withoutSession}), and a fault schedule of
 * partitions (symmetric and one-way), crashes, restarts and leadership transfers over a lossy, reordering,
 * duplicating network. Afterwards the network heals and every node restarts; the cluster must then elect
 * a leader and commit a write (liveness), and the client history must be linearizable.
 */
final class RaftSimulation {

    record Result(long traceHash, long committed, long completedOperations, KvHistory history,
                  long writesViaFollowers) {
    }

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final long seed;
    private final long faultMillis;

    RaftSimulation(long seed, long faultMillis) {
        this.seed = seed;
        this.faultMillis = faultMillis;
    }

    Result run() {
        RandomGenerator setup = new java.util.SplittableRandom(seed);
        int size = setup.nextBoolean() ? 3 : 5;
        RaftOptions options = RaftOptions.defaults()
                .withElectionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
                .withHeartbeatInterval(Duration.ofMillis(40))
                .withMaxBatchBytes(64 + setup.nextInt(512))
                .withMaxInFlightAppends(1 + setup.nextInt(8))
                .withSnapshotThreshold(setup.nextBoolean() ? 10 + setup.nextInt(40) : 10_000)
                .withSnapshotChunkBytes(16 + setup.nextInt(256));
        SimCluster cluster = new SimCluster(setup.nextLong(), options);
        cluster.network.configure(setup.nextDouble() * 0.05, setup.nextDouble() * 0.03, 1, 3 + setup.nextInt(25));
        cluster.bootstrap(SimCluster.config(size));
        KvHistory history = new KvHistory();
        List<SimClient> clients = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            SimClient client = new SimClient("c" + i, cluster, history);
            clients.add(client);
            client.start();
        }
        SimClient throughFollowers = SimClient.withoutSession("f1", cluster, history);
        clients.add(throughFollowers);
        throughFollowers.start();
        long end = cluster.scheduler.now() + faultMillis;
        while (cluster.scheduler.now() < end) {
            cluster.runFor(100 + cluster.random.nextLong(600));
            injectFault(cluster);
        }
        clients.forEach(SimClient::stop);

        cluster.network.healAll();
        cluster.network.configure(0, 0, 1, 5);
        cluster.ids().forEach(cluster::restart);
        checkLiveness(cluster);
        checkLinearizable(history);
        long viaFollowers = clients.stream().mapToLong(SimClient::writesViaFollowers).sum();
        return new Result(cluster.traceHash(), cluster.checker.committedCount(), history.completed(), history,
                viaFollowers);
    }

    private void injectFault(SimCluster cluster) {
        RandomGenerator random = cluster.random;
        List<String> ids = cluster.ids();
        String victim = ids.get(random.nextInt(ids.size()));
        int downCount = (int) ids.stream().filter(id -> !cluster.node(id).up).count();
        switch (random.nextInt(10)) {
            case 0 -> cluster.network.isolate(victim, ids, true, true);
            case 1 -> cluster.network.isolate(victim, ids, random.nextBoolean(), true);
            case 2 -> {
                if (downCount < (ids.size() - 1) / 2 || random.nextInt(4) == 0) {
                    cluster.crash(victim);
                }
            }
            case 3 -> ids.forEach(cluster::restart);
            case 4 -> cluster.leader().ifPresent(leader -> leader.node.transferLeadership(victim));
            case 5 -> splitInTwo(cluster, ids);
            case 6 -> {
                cluster.crash(victim);
                cluster.restart(victim);
            }
            case 7 -> changeMembership(cluster, victim);

            default -> cluster.network.healAll();
        }
    }

    /** Re-adds a node removed earlier, or removes {@code victim} while all members are in. */
    private static void changeMembership(SimCluster cluster, String victim) {
        cluster.leader().ifPresent(leader -> {
            ClusterConfig config = leader.status().config();
            cluster.ids().stream().filter(id -> !config.contains(id)).findFirst().ifPresentOrElse(
                    removed -> leader.node.addMember(SimCluster.member(removed)),
                    () -> leader.node.removeMember(victim));
        });
    }

    private static void splitInTwo(SimCluster cluster, List<String> ids) {
        cluster.network.healAll();
        List<String> shuffled = new ArrayList<>(ids);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            java.util.Collections.swap(shuffled, i, cluster.random.nextInt(i + 1));
        }
        Set<String> side = Set.copyOf(shuffled.subList(0, 1 + cluster.random.nextInt(ids.size() - 1)));
        for (String from : ids) {
            for (String to : ids) {
                if (side.contains(from) != side.contains(to)) {
                    cluster.network.cut(from, to);
                }
            }
        }
    }

    private static void checkLiveness(SimCluster cluster) {
        KvHistory finalHistory = new KvHistory();
        SimClient prober = new SimClient("final", cluster, finalHistory);
        boolean elected = cluster.runUntil(() -> cluster.leader().isPresent(), 10_000);
        if (!elected) {
            throw new AssertionError("liveness: no leader within 10s after healing; " + describe(cluster));
        }
        prober.start();
        boolean wrote = cluster.runUntil(() -> finalHistory.completed() > 0, 10_000);
        prober.stop();
        if (!wrote) {
            throw new AssertionError("liveness: no operation completed within 10s after healing; "
                    + describe(cluster));
        }
        cluster.runFor(300);
    }

    /**
     * Judges the client history. UNKNOWN (the search ran out of time, which many timed-out writes can
     * cause) proves nothing either way and is let through; ILLEGAL fails the seed.
     */
    private static void checkLinearizable(KvHistory history) {
        CheckResult result = LinearizabilityChecker.check(new KvModel(), history.forChecker(), CHECK_TIMEOUT);
        if (result.verdict() == CheckResult.Verdict.ILLEGAL) {
            throw new AssertionError("history is not linearizable: " + result.explanation());
        }
    }

    private static String describe(SimCluster cluster) {
        return cluster.nodes().stream().map(n -> n.id + (n.up ? "" : "(down)") + ":" + n.status().role()
                        + "/t" + n.status().term() + "/c" + n.status().commitIndex() + "/l" + n.status().lastLogIndex())
                .collect(Collectors.joining(", "));
    }
}

package io.flotilla.raft.sim;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.Role;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Production {@link RaftNode}s on a virtual clock and a lossy {@link SimNetwork}, with crash and restart
 * from their {@link MemoryRaftStorage}. All randomness comes from the one seeded generator, and the
 * {@link SafetyChecker} runs after every event.
 */
final class SimCluster {

    final class SimNode {
        final String id;
        final MemoryRaftStorage storage = new MemoryRaftStorage();
        final ClusterConfig initialConfig;
        VirtualEventLoop loop;
        RaftNode node;
        KvStateMachine stateMachine;
        boolean up;

        SimNode(String id, ClusterConfig initialConfig) {
            this.id = id;
            this.initialConfig = initialConfig;
        }

        RaftStatus status() {
            return node.status();
        }
    }

    final SimScheduler scheduler = new SimScheduler();
    final RandomGenerator random;
    final SimNetwork network;
    final SafetyChecker checker = new SafetyChecker();
    private final RaftOptions options;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();

    SimCluster(long seed, RaftOptions options) {
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(scheduler, random);
        this.options = options;
    }

    static ClusterConfig config(int size) {
        List<ClusterConfig.Member> members = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            members.add(member("n" + i));
        }
        return new ClusterConfig(members);
    }

    static ClusterConfig.Member member(String id) {
        return new ClusterConfig.Member(id, id + ":7000");
    }

    /** Creates and starts founding members sharing {@code config}. */
    void bootstrap(ClusterConfig config) {
        for (ClusterConfig.Member member : config.members()) {
            add(member.id(), config);
        }
    }

    /** Creates and starts a node that knows {@code initialConfig} (a joining node: the current members). */
    SimNode add(String id, ClusterConfig initialConfig) {
        SimNode simNode = new SimNode(id, initialConfig);
        nodes.put(id, simNode);
        boot(simNode);
        return simNode;
    }

    private void boot(SimNode simNode) {
        simNode.loop = new VirtualEventLoop(scheduler);
        simNode.stateMachine = new KvStateMachine((index, command) -> checker.applied(simNode.id, index, command));
        simNode.node = RaftNode.builder()
                .nodeId(simNode.id)
                .initialConfig(simNode.initialConfig)
                .storage(simNode.storage)
                .transport(network.endpoint(simNode.id))
                .eventLoop(simNode.loop)
                .stateMachine(simNode.stateMachine)
                .random(new SplittableRandom(random.nextLong()))
                .options(options)
                .build();
        simNode.up = true;
        checker.nodeRestarted(simNode.id);
        simNode.node.start();
    }

    void crash(String id) {
        SimNode simNode = nodes.get(id);
        if (simNode.up) {
            simNode.up = false;
            simNode.loop.kill();
            simNode.storage.crash(random);
        }
    }

    void restart(String id) {
        SimNode simNode = nodes.get(id);
        if (!simNode.up) {
            boot(simNode);
        }
    }

    SimNode node(String id) {
        return nodes.get(id);
    }

    List<SimNode> nodes() {
        return List.copyOf(nodes.values());
    }

    List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    List<SimNode> upNodes() {
        return nodes.values().stream().filter(n -> n.up).toList();
    }

    /** The live leader of the highest term, if any. */
    Optional<SimNode> leader() {
        return upNodes().stream().filter(n -> n.status().role() == Role.LEADER)
                .max(Comparator.comparingLong(n -> n.status().term()));
    }

    /** Runs every event up to {@code millis} from now, checking safety after each. */
    void runFor(long millis) {
        long until = scheduler.now() + millis;
        while (scheduler.step(until)) {
            checkSafety();
        }
        scheduler.advanceTo(until);
    }

    /** Runs until {@code condition} holds or {@code maxMillis} pass; returns whether it held. */
    boolean runUntil(java.util.function.BooleanSupplier condition, long maxMillis) {
        long until = scheduler.now() + maxMillis;
        while (!condition.getAsBoolean()) {
            if (!scheduler.step(until)) {
                scheduler.advanceTo(until);
                return condition.getAsBoolean();
            }
            checkSafety();
        }
        return true;
    }

    void checkSafety() {
        for (SimNode simNode : nodes.values()) {
            if (simNode.up) {
                checker.check(simNode.id, simNode.status(), simNode.storage.memoryLog());
            }
        }
    }

    /** A hash of everything observable, to prove that a seed replays exactly. */
    long traceHash() {
        long hash = network.traceHash() * 31 + scheduler.eventsRun();
        for (SimNode simNode : nodes.values()) {
            RaftStatus status = simNode.status();
            hash = hash * 31 + status.term();
            hash = hash * 31 + status.commitIndex();
            hash = hash * 31 + status.appliedIndex();
            hash = hash * 31 + status.role().ordinal();
            hash = hash * 31 + simNode.stateMachine.contents().hashCode();
        }
        return hash;
    }
}

package io.flotilla.raft.cluster;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.runtime.ThreadEventLoop;
import io.flotilla.raft.storage.RaftStorage;
import io.flotilla.raft.storage.file.FileRaftStorage;
import io.flotilla.raft.storage.file.StorageOptions;
import io.flotilla.raft.transport.netty.NettyTransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Production-wired Raft nodes on 127.0.0.1: {@link FileRaftStorage} (fsync on), {@link NettyTransport} and
 * a {@link ThreadEventLoop} each, with a {@link ClusterKvStateMachine}. Each member keeps its port and data
 * directory for the life of the cluster, so a stopped member restarts from its own disk at its old address.
 */
final class LoopbackCluster implements AutoCloseable {

    /** Fast enough for tests, slow enough that a busy 2-core machine does not trigger elections by itself. */
    static final RaftOptions OPTIONS = RaftOptions.defaults()
            .withElectionTimeout(Duration.ofMillis(300), Duration.ofMillis(600))
            .withHeartbeatInterval(Duration.ofMillis(50));

    private record Running(RaftNode node, ThreadEventLoop loop) {
    }

    private final ClusterConfig config;
    private final Map<String, Path> dataDirs = new LinkedHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final RaftOptions options;
    private final StorageOptions storageOptions;

    private LoopbackCluster(ClusterConfig config, Path root, RaftOptions options, StorageOptions storageOptions) {
        this.config = config;
        this.options = options;
        this.storageOptions = storageOptions;
        config.members().forEach(member -> dataDirs.put(member.id(), root.resolve(member.id())));
    }

    /** {@code size} members n1..n{size} on free loopback ports, data under {@code root}; none started. */
    static LoopbackCluster create(Path root, int size, RaftOptions options, StorageOptions storageOptions) {
        List<ClusterConfig.Member> members = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            members.add(new ClusterConfig.Member("n" + i, "127.0.0.1:" + freePort()));
        }
        return new LoopbackCluster(new ClusterConfig(members), root, options, storageOptions);
    }

    List<String> ids() {
        return List.copyOf(dataDirs.keySet());
    }

    Path dataDir(String id) {
        return dataDirs.get(id);
    }

    void startAll() {
        ids().forEach(this::start);
    }

    /**
     * Opens the member's storage from its data directory and starts it. Storage damage surfaces here, as
     * the {@code CorruptStorageException} that {@link FileRaftStorage#open} throws.
     */
    void start(String id) {
        start(id, storage -> storage);
    }

    /** Starts the member on its real storage as seen through {@code disk} (a fault injector). */
    void start(String id, UnaryOperator<RaftStorage> disk) {
        if (running.containsKey(id)) {
            throw new IllegalStateException(id + " is already running");
        }
        RaftStorage storage = disk.apply(FileRaftStorage.open(dataDirs.get(id), storageOptions));
        Map<String, String> peers = config.members().stream()
                .filter(member -> !member.id().equals(id))
                .collect(Collectors.toMap(ClusterConfig.Member::id, ClusterConfig.Member::address));
        NettyTransport transport = new NettyTransport(id, config.member(id).orElseThrow().address(), peers);
        ThreadEventLoop loop = new ThreadEventLoop("raft-" + id);
        RaftNode node = RaftNode.builder().nodeId(id).initialConfig(config).storage(storage).transport(transport)
                .eventLoop(loop).stateMachine(new ClusterKvStateMachine()).options(options).build();
        running.put(id, new Running(node, loop));
        node.start();
    }

    /** Closes the member's node (its storage and transport) and its event loop, like a process exit. */
    void stop(String id) {
        Running stopped = running.remove(id);
        if (stopped == null) {
            throw new IllegalStateException(id + " is not running");
        }
        try {
            stopped.node().close();
        } finally {
            stopped.loop().close();
        }
    }

    /** Stops every running member, all of them even when one fails to close. */
    void stopAll() {
        RuntimeException failure = null;
        for (String id : List.copyOf(running.keySet())) {
            try {
                stop(id);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    Optional<RaftNode> node(String id) {
        return Optional.ofNullable(running.get(id)).map(Running::node);
    }

    List<RaftNode> runningNodes() {
        return running.values().stream().map(Running::node).sorted(Comparator.comparing(RaftNode::id)).toList();
    }

    /** The running node that believes it leads in the highest term, if any. */
    Optional<RaftNode> leader() {
        return runningNodes().stream()
                .filter(node -> node.status().isLeader())
                .max(Comparator.comparingLong(node -> node.status().term()));
    }

    RaftNode awaitLeader(Duration timeout) throws InterruptedException {
        awaitCondition(timeout, () -> "a leader among " + running.keySet() + " (" + statuses() + ")",
                () -> leader().isPresent());
        return leader().orElseThrow();
    }

    /**
     * Waits until every running node has applied everything the leader has committed, and returns that
     * index. Call it with no writes in flight, so the commit index stands still.
     */
    long awaitAllApplied(Duration timeout) throws InterruptedException {
        RaftNode leader = awaitLeader(timeout);
        long commitIndex = leader.status().commitIndex();
        awaitCondition(timeout, () -> "every node applied index " + commitIndex + " (" + statuses() + ")",
                () -> runningNodes().stream().allMatch(node -> node.status().appliedIndex() >= commitIndex));
        return commitIndex;
    }

    String statuses() {
        return runningNodes().stream().map(RaftNode::status)
                .map(RaftStatus::toString).collect(Collectors.joining("; "));
    }

    static void awaitCondition(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        awaitCondition(timeout, () -> what, condition);
    }

    /** Polls {@code condition}; on time-out fails with {@code what}, worded at that moment. */
    static void awaitCondition(Duration timeout, Supplier<String> what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get()
                        + "\nRaft threads at that moment:\n" + raftThreadDump());
            }
            Thread.sleep(20);
        }
    }

    /** Where each node's event loop is, so a stuck loop can be told from a slow one. */
    private static String raftThreadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("raft-")) {
                dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (int i = 0; i < Math.min(stack.length, 12); i++) {
                    dump.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return dump.toString();
    }

    @Override
    public void close() {
        stopAll();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}

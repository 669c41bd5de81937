package io.flotilla.bench.raft;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.CommandResult;
import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.runtime.ThreadEventLoop;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A three-node Flotilla Raft cluster in this process, wired as in production: {@link FileRaftStorage}
 * with fsync on, {@link NettyTransport} between the nodes on loopback, one {@link ThreadEventLoop} per node.
 * Puts go straight to the leader's {@link RaftNode#submit} (in-process: no client network hop, unlike
 * etcd's gRPC clients) and complete when the entry is committed and applied on the leader.
 */
public final class FlotillaRaftTarget implements KvTarget {

    /** Matches etcd 3.4's default {@code --snapshot-count} so both snapshot about as often. */
    private static final long SNAPSHOT_EVERY_ENTRIES = 100_000;
    private static final int MAX_ATTEMPTS = 50;
    private static final Executor RETRY_DELAY = CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS);

    /** Count and total time of the log fsyncs of one node. */
    public record SyncStats(long syncs, long nanos) {
        SyncStats minus(SyncStats earlier) {
            return new SyncStats(syncs - earlier.syncs, nanos - earlier.nanos);
        }
    }

    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final List<ThreadEventLoop> loops = new ArrayList<>();
    private final Map<String, SyncCounter> syncCounters = new LinkedHashMap<>();
    private volatile RaftNode leader;

    private FlotillaRaftTarget() {
    }

    /** Starts three nodes with data directories under {@code dataDir} and waits for a leader. */
    public static FlotillaRaftTarget start(Path dataDir, Duration leaderTimeout) throws InterruptedException {
        FlotillaRaftTarget target = new FlotillaRaftTarget();
        try {
            target.startNodes(dataDir);
            target.leader = target.awaitLeader(leaderTimeout);
            return target;
        } catch (RuntimeException | InterruptedException e) {
            target.close();
            throw e;
        }
    }

    private void startNodes(Path dataDir) {
        List<ClusterConfig.Member> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            members.add(new ClusterConfig.Member("n" + i, "127.0.0.1:" + freePort()));
        }
        ClusterConfig config = new ClusterConfig(members);
        RaftOptions options = RaftOptions.defaults().withSnapshotThreshold(SNAPSHOT_EVERY_ENTRIES);
        for (ClusterConfig.Member member : members) {
            SyncCounter counter = new SyncCounter();
            syncCounters.put(member.id(), counter);
            StorageOptions storageOptions = StorageOptions.defaults().withSyncListener(counter::synced);
            Map<String, String> peers = members.stream().filter(peer -> !peer.id().equals(member.id()))
                    .collect(Collectors.toMap(ClusterConfig.Member::id, ClusterConfig.Member::address));
            ThreadEventLoop loop = new ThreadEventLoop("raft-" + member.id());
            loops.add(loop);
            RaftNode node = RaftNode.builder()
                    .nodeId(member.id())
                    .initialConfig(config)
                    .storage(FileRaftStorage.open(dataDir.resolve(member.id()), storageOptions))
                    .transport(new NettyTransport(member.id(), member.address(), peers))
                    .eventLoop(loop)
                    .stateMachine(new BenchKvStateMachine())
                    .options(options)
                    .build();
            nodes.put(member.id(), node);
            node.start();
        }
    }

    private RaftNode awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (RaftNode node : nodes.values()) {
                if (node.status().isLeader()) {
                    return node;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no Raft leader within " + timeout);
    }

    @Override
    public String name() {
        return "flotilla";
    }

    @Override
    public CompletableFuture<?> put(String key, byte[] value) {
        return submit(BenchKvStateMachine.put(key, value), 1);
    }

    /** Follows leader changes; none are expected in a healthy run, but an election must not end the run. */
    private CompletableFuture<CommandResult> submit(byte[] command, int attempt) {
        return leader.submit(command).exceptionallyComposeAsync(failure -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (attempt >= MAX_ATTEMPTS) {
                return CompletableFuture.failedFuture(cause);
            }
            if (cause instanceof NotLeaderException notLeader && nodes.containsKey(notLeader.leaderId())) {
                leader = nodes.get(notLeader.leaderId());
            } else if (!(cause instanceof LeaderUnavailableException)) {
                return CompletableFuture.failedFuture(cause);
            }
            return submit(command, attempt + 1);
        }, RETRY_DELAY);
    }

    /** The leader's commit index, to relate committed entries to fsyncs. */
    public long commitIndex() {
        return leader.status().commitIndex();
    }

    public String leaderId() {
        return leader.id();
    }

    /** Log fsyncs so far, per node. */
    public Map<String, SyncStats> syncStats() {
        Map<String, SyncStats> stats = new LinkedHashMap<>();
        syncCounters.forEach((id, counter) -> stats.put(id, counter.stats()));
        return stats;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (RaftNode node : nodes.values()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        loops.forEach(ThreadEventLoop::close);
        if (failure != null) {
            throw failure;
        }
    }

    /** Fed by the storage's sync listener on the node's event loop, read by the benchmark's thread. */
    private static final class SyncCounter {
        private final AtomicLong syncs = new AtomicLong();
        private final AtomicLong nanos = new AtomicLong();

        void synced(long durationNanos) {
            syncs.incrementAndGet();
            nanos.addAndGet(durationNanos);
        }

        SyncStats stats() {
            return new SyncStats(syncs.get(), nanos.get());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}

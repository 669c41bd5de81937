package io.flotilla.raft.sim;

import io.flotilla.raft.ClientRequest;
import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.CommandResult;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.runtime.ThreadEventLoop;
import io.flotilla.raft.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same node on real threads: {@link ThreadEventLoop}s, an in-process transport, and calls from the
 * test thread, as an embedding service would make them. Also checks the Micrometer meters.
 */
class RealThreadClusterTests {

    private final Map<String, Consumer<RaftMessage>> inboxes = new ConcurrentHashMap<>();
    private final List<ThreadEventLoop> loops = new ArrayList<>();
    private final List<RaftNode> nodes = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        nodes.forEach(RaftNode::close);
        loops.forEach(ThreadEventLoop::close);
    }

    private Transport transport(String id) {
        return new Transport() {
            @Override
            public void start(Consumer<RaftMessage> inbound) {
                inboxes.put(id, inbound);
            }

            @Override
            public void send(RaftMessage message) {
                Consumer<RaftMessage> inbox = inboxes.get(message.to());
                if (inbox != null) {
                    inbox.accept(message);
                }
            }

            @Override
            public void updatePeers(Map<String, String> addresses) {
            }

            @Override
            public void close() {
                inboxes.remove(id);
            }
        };
    }

    private Optional<RaftNode> leader() {
        return nodes.stream().filter(node -> node.status().isLeader()).findFirst();
    }

    /**
     * Calls the current leader as a client would, retrying (with the same session) while leadership moves:
     * on a loaded machine a real-time election can happen at any moment.
     */
    private <T> T onLeader(Function<RaftNode, CompletableFuture<T>> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Optional<RaftNode> leader = leader();
            if (leader.isPresent()) {
                try {
                    return call.apply(leader.get()).get(5, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("no leader answered within 20s", e);
                    }
                }
            }
            Thread.sleep(20);
        }
    }

    @Test
    void nodesOnRealThreadsElectReplicateAndReportMeters() throws Exception {
        ClusterConfig config = SimCluster.config(3);
        for (ClusterConfig.Member member : config.members()) {
            ThreadEventLoop loop = new ThreadEventLoop("raft-" + member.id());
            loops.add(loop);
            RaftNode node = RaftNode.builder().nodeId(member.id()).initialConfig(config)
                    .storage(new MemoryRaftStorage()).transport(transport(member.id())).eventLoop(loop)
                    .stateMachine(new KvStateMachine((index, command) -> {
                    }))
                    .options(RaftOptions.defaults().withElectionTimeout(Duration.ofMillis(300), Duration.ofMillis(600))
                            .withHeartbeatInterval(Duration.ofMillis(50)))
                    .meterRegistry(meters)
                    .build();
            nodes.add(node);
            node.start();
        }
        ClientRequest put = new ClientRequest("c", 1, KvStateMachine.put("x", "1"));
        CommandResult written = onLeader(leader -> leader.submit(put));
        byte[] read = onLeader(leader -> leader.read("x".getBytes(StandardCharsets.UTF_8),
                ReadConsistency.LINEARIZABLE, 0)).result();
        assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("1");
        for (RaftNode node : nodes) {
            byte[] local = node.read("x".getBytes(StandardCharsets.UTF_8), ReadConsistency.STALE, written.index())
                    .get(10, TimeUnit.SECONDS).result();
            assertThat(new String(local, StandardCharsets.UTF_8)).as("read-your-write at " + node.id()).isEqualTo("1");
        }

        assertThat(meters.get("raft.commit.index").gauges()).hasSize(3)
                .allSatisfy(gauge -> assertThat(gauge.value()).isGreaterThanOrEqualTo(written.index()));
        assertThat(meters.get("raft.role").gauges()).hasSize(3)
                .allSatisfy(gauge -> assertThat(gauge.value()).isBetween(0.0, 3.0));
        assertThat(meters.get("raft.elections").counters().stream().mapToDouble(c -> c.count()).sum())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.get("raft.log.fsync").timers().stream().mapToLong(t -> t.count()).sum()).isPositive();
        assertThat(meters.get("raft.follower.match.index").gauges()).isNotEmpty();
    }
}

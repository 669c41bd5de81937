package io.flotilla.registryservice.state;

import io.flotilla.registry.api.KvEntry;

import io.flotilla.raft.ClientRequest;
import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.raft.ReadResult;
import io.flotilla.raft.runtime.ThreadEventLoop;
import io.flotilla.raft.storage.file.FileRaftStorage;
import io.flotilla.raft.transport.netty.NettyTransport;
import io.flotilla.registryservice.state.command.RegistryCodec;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryCommand.ExpireLeases;
import io.flotilla.registryservice.state.command.RegistryCommand.GrantLease;
import io.flotilla.registryservice.state.command.RegistryCommand.KvCreateSequential;
import io.flotilla.registryservice.state.command.RegistryCommand.KvPut;
import io.flotilla.registryservice.state.command.RegistryCommand.RegisterInstance;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.state.command.RegistryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state machine under a real single-node {@link RaftNode} wired as in production (file storage with
 * fsync, Netty on 127.0.0.1, a thread event loop), then restarted from its data directory. The snapshot
 * threshold is small, so the restart goes through {@code restore} and then replays the log after it.
 */
class RegistryStateMachineRaftIntegrationTests {

    private static final RaftOptions OPTIONS = RaftOptions.defaults()
            .withElectionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
            .withHeartbeatInterval(Duration.ofMillis(50))
            .withSnapshotThreshold(4);

    @TempDir
    Path dataDir;

    private final ClusterConfig config = new ClusterConfig(List.of(
            new ClusterConfig.Member("r1", "127.0.0.1:" + freePort())));
    private long sequence;

    @Test
    void registryStateSurvivesARestartFromDisk() throws Exception {
        String lockKey;
        long survivingLease;
        try (Running node = start()) {
            long doomedLease = submit(node, new GrantLease(1_000)).leaseIds().getFirst();
            survivingLease = submit(node, new GrantLease(30_000)).leaseIds().getFirst();
            submit(node, new RegisterInstance("orders", "orders-1", "10.0.0.1", 8080, false, Map.of("v", "1"),
                    "zone-a", 100, survivingLease));
            submit(node, new RegisterInstance("orders", "orders-2", "10.0.0.2", 8080, true, Map.of(), "zone-b", 50,
                    doomedLease));
            submit(node, new KvPut("config/timeout", bytes("5s"), 0, 0));
            lockKey = submit(node, new KvCreateSequential("locks/orders", bytes("owner"), survivingLease)).key();
            submit(node, new KvCreateSequential("locks/orders", bytes("gone"), doomedLease));
            submit(node, new ExpireLeases(List.of(doomedLease)));
            RegistryResult refused = RegistryCodec.decodeResult(node.raft.submit(new ClientRequest("test",
                    ++sequence, RegistryCodec.encode(new KvPut("config/timeout", bytes("6s"), 0, 0))))
                    .get(10, TimeUnit.SECONDS).result());
            assertThat(refused).isInstanceOf(RegistryResult.Refused.class);
        }

        try (Running restarted = start()) {
            RegistryQuery.Instances orders = (RegistryQuery.Instances) read(restarted,
                    new RegistryQuery.GetInstances("orders"));
            assertThat(orders.instances()).extracting(Instance::instanceId).containsExactly("orders-1");
            assertThat(orders.instances().getFirst().metadata()).containsEntry("v", "1");
            RegistryQuery.KvEntries locks = (RegistryQuery.KvEntries) read(restarted,
                    new RegistryQuery.KvGetPrefix("locks/orders/"));
            assertThat(locks.entries()).extracting(KvEntry::key).containsExactly(lockKey);
            RegistryQuery.KvEntries config = (RegistryQuery.KvEntries) read(restarted,
                    new RegistryQuery.KvGet("config/timeout"));
            assertThat(config.entries().getFirst().value()).isEqualTo(bytes("5s"));
            RegistryQuery.Lease lease = (RegistryQuery.Lease) read(restarted, new RegistryQuery.GetLease(survivingLease));
            assertThat(lease.lease().orElseThrow().keys()).containsExactly(lockKey);

            long next = submit(restarted, new KvPut("config/timeout", bytes("7s"), config.entries().getFirst().modIndex(),
                    0)).index();
            assertThat(next).isGreaterThan(config.index());
            assertThat(restarted.raft.status().snapshotIndex()).isPositive();
        }
    }

    private RegistryResult.Ok submit(Running node, RegistryCommand command) throws Exception {
        byte[] result = node.raft.submit(new ClientRequest("test", ++sequence, RegistryCodec.encode(command)))
                .get(10, TimeUnit.SECONDS).result();
        return (RegistryResult.Ok) RegistryCodec.decodeResult(result);
    }

    private static RegistryQuery.Answer read(Running node, RegistryQuery query) throws Exception {
        ReadResult read = node.raft.read(RegistryCodec.encode(query), ReadConsistency.LINEARIZABLE, 0)
                .get(10, TimeUnit.SECONDS);
        return RegistryCodec.decodeAnswer(read.result());
    }

    private Running start() throws InterruptedException {
        ThreadEventLoop loop = new ThreadEventLoop("raft-r1");
        RaftNode raft = RaftNode.builder().nodeId("r1").initialConfig(config)
                .storage(FileRaftStorage.open(dataDir))
                .transport(new NettyTransport("r1", config.members().getFirst().address(), Map.of()))
                .eventLoop(loop).stateMachine(new RegistryStateMachine()).options(OPTIONS).build();
        raft.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!raft.status().isLeader()) {
            if (System.nanoTime() > deadline) {
                raft.close();
                loop.close();
                throw new AssertionError("single node did not become leader within 10 s: " + raft.status());
            }
            Thread.sleep(10);
        }
        return new Running(raft, loop);
    }

    private record Running(RaftNode raft, ThreadEventLoop loop) implements AutoCloseable {

        @Override
        public void close() {
            try {
                raft.close();
            } finally {
                loop.close();
            }
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.flotilla.raft.sim;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.log.EntryType;
import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.storage.HardState;
import io.flotilla.raft.transport.Transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One production node whose peers are played by the test: it sees only the messages the test hands it,
 * and every message it sends is captured. For protocol rules that need an exact message sequence.
 */
final class ScriptedNode {

    final SimScheduler scheduler = new SimScheduler();
    final MemoryRaftStorage storage = new MemoryRaftStorage();
    final List<RaftMessage> sent = new ArrayList<>();
    final KvStateMachine stateMachine = new KvStateMachine((index, command) -> {
    });
    final RaftNode node;
    private Consumer<RaftMessage> inbound;

    ScriptedNode(String id, ClusterConfig config, long term, long... entryTerms) {
        storage.hardState().save(new HardState(term, null));
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < entryTerms.length; i++) {
            entries.add(new LogEntry(i + 1, entryTerms[i], EntryType.NOOP, new byte[0]));
        }
        storage.log().append(entries);
        storage.log().sync();
        Transport transport = new Transport() {
            @Override
            public void start(Consumer<RaftMessage> consumer) {
                inbound = consumer;
            }

            @Override
            public void send(RaftMessage message) {
                sent.add(message);
            }

            @Override
            public void updatePeers(Map<String, String> addresses) {
            }

            @Override
            public void close() {
            }
        };
        node = RaftNode.builder().nodeId(id).initialConfig(config).storage(storage).transport(transport)
                .eventLoop(new VirtualEventLoop(scheduler)).stateMachine(stateMachine)
                .random(new SplittableRandom(1))
                .options(RaftOptions.defaults().withElectionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
                        .withHeartbeatInterval(Duration.ofMillis(50)))
                .build();
        node.start();
        runFor(0);
    }

    void runFor(long millis) {
        long until = scheduler.now() + millis;
        while (scheduler.step(until)) {
            // every due event runs
        }
        scheduler.advanceTo(until);
    }

    void deliver(RaftMessage message) {
        inbound.accept(message);
        runFor(0);
    }

    /** Messages of {@code type} sent since the last call, which forgets them. */
    <T extends RaftMessage> List<T> take(Class<T> type) {
        List<T> taken = sent.stream().filter(type::isInstance).map(type::cast).toList();
        sent.clear();
        return taken;
    }

    RaftStatus status() {
        return node.status();
    }
}

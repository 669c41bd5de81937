package io.flotilla.raft.sim;

import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.transport.Transport;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A lossy network between simulated nodes: every message may be dropped, delayed (which reorders it),
 * or duplicated, and directed links can be cut to make symmetric or one-way partitions.
 */
final class SimNetwork {

    private final SimScheduler scheduler;
    private final RandomGenerator random;
    private final Map<String, Consumer<RaftMessage>> inbound = new HashMap<>();
    private final Set<String> cutLinks = new HashSet<>();
    private double dropRate;
    private double duplicateRate;
    private long minDelay = 1;
    private long maxDelay = 10;
    private long traceHash = 17;

    SimNetwork(SimScheduler scheduler, RandomGenerator random) {
        this.scheduler = scheduler;
        this.random = random;
    }

    void configure(double dropRate, double duplicateRate, long minDelay, long maxDelay) {
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
    }

    Transport endpoint(String nodeId) {
        return new Endpoint(nodeId);
    }

    void cut(String from, String to) {
        cutLinks.add(from + "->" + to);
    }

    void isolate(String nodeId, Iterable<String> others, boolean inbound, boolean outbound) {
        for (String other : others) {
            if (!other.equals(nodeId)) {
                if (outbound) {
                    cut(nodeId, other);
                }
                if (inbound) {
                    cut(other, nodeId);
                }
            }
        }
    }

    void healAll() {
        cutLinks.clear();
    }

    long traceHash() {
        return traceHash;
    }

    private void send(RaftMessage message) {
        if (cutLinks.contains(message.from() + "->" + message.to()) || random.nextDouble() < dropRate) {
            return;
        }
        int copies = random.nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = minDelay + random.nextLong(maxDelay - minDelay + 1);
            scheduler.at(scheduler.now() + delay, null, () -> deliver(message));
        }
    }

    private void deliver(RaftMessage message) {
        Consumer<RaftMessage> target = inbound.get(message.to());
        if (target == null || cutLinks.contains(message.from() + "->" + message.to())) {
            return;
        }
        traceHash = traceHash * 31 + scheduler.now();
        traceHash = traceHash * 31 + message.getClass().getSimpleName().hashCode();
        traceHash = traceHash * 31 + message.from().hashCode() * 7L + message.to().hashCode();
        traceHash = traceHash * 31 + message.term();
        target.accept(message);
    }

    private final class Endpoint implements Transport {
        private final String nodeId;
        private Consumer<RaftMessage> consumer;

        Endpoint(String nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public void start(Consumer<RaftMessage> inboundConsumer) {
            consumer = inboundConsumer;
            inbound.put(nodeId, inboundConsumer);
        }

        @Override
        public void send(RaftMessage message) {
            if (consumer != null) {
                SimNetwork.this.send(message);
            }
        }

        @Override
        public void updatePeers(Map<String, String> addresses) {
        }

        @Override
        public void close() {
            if (consumer != null) {
                inbound.remove(nodeId, consumer);
                consumer = null;
            }
        }
    }
}

package io.flotilla.raft;

import io.flotilla.raft.core.DefaultRaftNode;
import io.flotilla.raft.core.RaftCore;
import io.flotilla.raft.core.RaftMetrics;
import io.flotilla.raft.metrics.MicrometerRaftMetrics;
import io.flotilla.raft.runtime.EventLoop;
import io.flotilla.raft.storage.RaftStorage;
import io.flotilla.raft.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Wires a {@link RaftNode}. Required: node id, initial configuration, storage, transport, event loop and
 * state machine. The node owns (and closes) the storage and transport; the event loop belongs to the
 * caller.
 *
 * <p>The initial configuration is used only while neither the snapshot nor the log holds one: give every
 * founding member the same set including itself; give a node about to be added the current members (it
 * waits for the leader and never campaigns while it is not a member).
 */
public final class RaftNodeBuilder {

    private String nodeId;
    private ClusterConfig initialConfig;
    private RaftStorage storage;
    private Transport transport;
    private EventLoop eventLoop;
    private StateMachine stateMachine;
    private RandomGenerator random;
    private RaftOptions options = RaftOptions.defaults();
    private MeterRegistry meterRegistry;

    RaftNodeBuilder() {
    }

    public RaftNodeBuilder nodeId(String nodeId) {
        this.nodeId = nodeId;
        return this;
    }

    public RaftNodeBuilder initialConfig(ClusterConfig initialConfig) {
        this.initialConfig = initialConfig;
        return this;
    }

    public RaftNodeBuilder storage(RaftStorage storage) {
        this.storage = storage;
        return this;
    }

    public RaftNodeBuilder transport(Transport transport) {
        this.transport = transport;
        return this;
    }

    public RaftNodeBuilder eventLoop(EventLoop eventLoop) {
        this.eventLoop = eventLoop;
        return this;
    }

    public RaftNodeBuilder stateMachine(StateMachine stateMachine) {
        this.stateMachine = stateMachine;
        return this;
    }

    /** Source of election jitter; defaults to a fresh {@link SplittableRandom}. Seed it to replay runs. */
    public RaftNodeBuilder random(RandomGenerator random) {
        this.random = random;
        return this;
    }

    public RaftNodeBuilder options(RaftOptions options) {
        this.options = options;
        return this;
    }

    /** Publishes {@code raft.*} meters; needs micrometer-core on the classpath. */
    public RaftNodeBuilder meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
        return this;
    }

    public RaftNode build() {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(initialConfig, "initialConfig");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(eventLoop, "eventLoop");
        Objects.requireNonNull(stateMachine, "stateMachine");
        Objects.requireNonNull(options, "options");
        RandomGenerator jitter = random != null ? random : new SplittableRandom();
        RaftCore[] core = new RaftCore[1];
        RaftMetrics metrics = meterRegistry == null
                ? RaftMetrics.NONE
                : new MicrometerRaftMetrics(meterRegistry, nodeId, () -> core[0].status());
        core[0] = new RaftCore(nodeId, initialConfig, storage, transport, eventLoop, stateMachine, jitter, options,
                metrics);
        return new DefaultRaftNode(nodeId, core[0], eventLoop, storage);
    }
}

package io.flotilla.raft.metrics;

import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.core.RaftMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of one node, tagged {@code node}. The only class touching Micrometer, so the library
 * works without it: gauges read the node's published {@link RaftStatus}, so they cost nothing on the loop.
 */
public final class MicrometerRaftMetrics implements RaftMetrics {

    private final MeterRegistry registry;
    private final String nodeId;
    private final Supplier<RaftStatus> status;
    private final Counter elections;
    private final Timer fsync;

    public MicrometerRaftMetrics(MeterRegistry registry, String nodeId, Supplier<RaftStatus> status) {
        this.registry = registry;
        this.nodeId = nodeId;
        this.status = status;
        gauge("raft.role", "0 follower, 1 pre-candidate, 2 candidate, 3 leader", s -> s.role().ordinal());
        gauge("raft.term", "current term", RaftStatus::term);
        gauge("raft.commit.index", "highest log index known committed", RaftStatus::commitIndex);
        gauge("raft.applied.index", "highest log index applied to the state machine", RaftStatus::appliedIndex);
        gauge("raft.log.last.index", "last log index", RaftStatus::lastLogIndex);
        this.elections = Counter.builder("raft.elections").description("elections started by this node")
                .tag("node", nodeId).register(registry);
        this.fsync = Timer.builder("raft.log.fsync").description("latency of one log sync (group commit)")
                .tag("node", nodeId).register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<RaftStatus> value) {
        Gauge.builder(name, status, supplier -> value.applyAsDouble(supplier.get()))
                .description(description).tag("node", nodeId).register(registry);
    }

    @Override
    public void electionStarted() {
        elections.increment();
    }

    @Override
    public void logSynced(long nanos) {
        fsync.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void followerAdded(String followerId) {
        Gauge.builder("raft.follower.match.index", status,
                        supplier -> supplier.get().matchIndex().getOrDefault(followerId, 0L))
                .description("last log index known replicated on the follower (leader only)")
                .tags("node", nodeId, "follower", followerId).register(registry);
    }
}

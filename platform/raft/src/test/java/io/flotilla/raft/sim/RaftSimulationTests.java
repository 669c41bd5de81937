package io.flotilla.raft.sim;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of seeded simulations of the production node. {@code -Dflotilla.raft.sim.seeds=N} runs seeds
 * 1..N (a soak); {@code -Dflotilla.raft.sim.seed=S} replays one seed. A failure names its seed and the
 * command replaying it.
 */
class RaftSimulationTests {

    private static final int DEFAULT_SEEDS = 2_000;
    private static final long FAULT_MILLIS = 3_000;

    @TestFactory
    Stream<DynamicTest> everySeedKeepsRaftSafeAndLive() {
        String single = System.getProperty("flotilla.raft.sim.seed");
        LongStream seeds = single != null
                ? LongStream.of(Long.parseLong(single))
                : LongStream.rangeClosed(1, Long.getLong("flotilla.raft.sim.seeds", DEFAULT_SEEDS));
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runSeed(seed)));
    }

    @Test
    void sameSeedReplaysTheSameRun() {
        RaftSimulation.Result first = new RaftSimulation(4242, FAULT_MILLIS).run();
        RaftSimulation.Result second = new RaftSimulation(4242, FAULT_MILLIS).run();
        assertThat(second.traceHash()).isEqualTo(first.traceHash());
        assertThat(second.history().operations()).isEqualTo(first.history().operations());
        assertThat(first.committed()).isPositive();
        assertThat(first.completedOperations()).isPositive();
        assertThat(first.writesViaFollowers()).as("writes proposed through followers").isPositive();
        RaftSimulation.Result other = new RaftSimulation(4243, FAULT_MILLIS).run();
        assertThat(other.traceHash()).isNotEqualTo(first.traceHash());
    }

    private static void runSeed(long seed) {
        try {
            new RaftSimulation(seed, FAULT_MILLIS).run();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("simulation seed " + seed + " failed: " + e.getMessage()
                    + "\nreplay: ./mvnw -B -o -pl platform/raft verify -Dtest=RaftSimulationTests"
                    + " -Dflotilla.raft.sim.seed=" + seed, e);
        }
    }
}

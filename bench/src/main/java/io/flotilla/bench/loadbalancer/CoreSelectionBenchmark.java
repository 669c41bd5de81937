package io.flotilla.bench.loadbalancer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.flotilla.loadbalancer.core.Algorithm;
import io.flotilla.loadbalancer.core.Algorithms;
import io.flotilla.loadbalancer.core.Candidates;
import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.LoadBalancingAlgorithm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the Spring-free selection alone ({@code LoadBalancingAlgorithm.select} on a prepared
 * {@link Candidates} snapshot), without the Reactor and Spring Cloud plumbing that
 * {@link SelectionBenchmark} includes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CoreSelectionBenchmark {

    @Param({ "round-robin", "weighted-round-robin", "random", "weighted-random", "least-connections",
            "weighted-least-connections", "ip-hash", "consistent-hash", "p2c" })
    public String algorithm;

    @Param({ "3", "30", "300" })
    public int instances;

    private LoadBalancingAlgorithm selector;

    private Candidates candidates;

    private final String key = "203.0.113.77";

    @Setup
    public void setUp() {
        InFlightCounters inFlight = new InFlightCounters();
        List<String> keys = new ArrayList<>();
        int[] weights = new int[instances];
        for (int i = 0; i < instances; i++) {
            keys.add("bench-service/10.0." + i / 250 + "." + (i % 250 + 1) + ":8080");
            weights[i] = i % 5 + 1;
            for (int n = 0; n < i % 7; n++) {
                inFlight.started(keys.get(i));
            }
        }
        candidates = Candidates.of(keys, weights, inFlight);
        selector = Algorithms.create(Algorithm.valueOf(algorithm.toUpperCase().replace('-', '_')), 160);
    }

    @Benchmark
    public int select() {
        return selector.select(candidates, key);
    }
}

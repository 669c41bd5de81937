package io.flotilla.loadbalancer.core;

import java.util.ArrayList;
import java.util.List;

/** Candidate lists for algorithm tests: instances named s0, s1, ... with the given weights. */
final class CandidatesFixture {

    private CandidatesFixture() {
    }

    static Candidates weighted(InFlightCounters counters, int... weights) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            keys.add("s" + i);
        }
        return Candidates.of(keys, weights, counters);
    }

    static Candidates weighted(int... weights) {
        return weighted(new InFlightCounters(), weights);
    }

    static Candidates uniform(int size) {
        int[] weights = new int[size];
        java.util.Arrays.fill(weights, 1);
        return weighted(weights);
    }

    static Candidates named(List<String> keys) {
        int[] weights = new int[keys.size()];
        java.util.Arrays.fill(weights, 1);
        return Candidates.of(keys, weights, new InFlightCounters());
    }

    static int[] histogram(LoadBalancingAlgorithm algorithm, Candidates candidates, int picks) {
        int[] counts = new int[candidates.size()];
        for (int i = 0; i < picks; i++) {
            counts[algorithm.select(candidates, null)]++;
        }
        return counts;
    }
}

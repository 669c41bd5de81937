package io.flotilla.loadbalancer.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmoothWeightedRoundRobinTests {

    @Test
    void followsTheNginxSequenceForWeightsOneTwoThree() {
        SmoothWeightedRoundRobin algorithm = new SmoothWeightedRoundRobin();
        Candidates candidates = CandidatesFixture.weighted(1, 2, 3);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            picks.add(candidates.key(algorithm.select(candidates, null)));
        }
        List<String> cycle = List.of("s2", "s1", "s0", "s2", "s1", "s2");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.addAll(cycle);
        }
        assertThat(picks).isEqualTo(expected);
    }

    @Test
    void interleavesAHeavyInstanceInsteadOfBunchingIt() {
        // nginx's own example: weights {5, 1, 1} give a a a b a c a ... never five a's in a row
        int[] cycle = SmoothWeightedRoundRobin.computeCycle(new int[] {5, 1, 1});
        assertThat(cycle).containsExactly(0, 0, 1, 0, 2, 0, 0);
    }

    @Test
    void eachCycleGivesEveryInstanceExactlyItsWeight() {
        int[] weights = {7, 3, 11, 1, 5};
        SmoothWeightedRoundRobin algorithm = new SmoothWeightedRoundRobin();
        Candidates candidates = CandidatesFixture.weighted(weights);
        int[] counts = CandidatesFixture.histogram(algorithm, candidates, 27 * 100);
        for (int i = 0; i < weights.length; i++) {
            assertThat(counts[i]).as("picks of s%d", i).isEqualTo(weights[i] * 100);
        }
    }

    @Test
    void scalesHugeCyclesDownKeepingShares() {
        int[] weights = new int[300];
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = InstanceMetadata.MAX_WEIGHT - i * 7;
            total += weights[i];
        }
        SmoothWeightedRoundRobin algorithm = new SmoothWeightedRoundRobin();
        Candidates candidates = CandidatesFixture.weighted(weights);
        int picks = SmoothWeightedRoundRobin.MAX_CYCLE;
        int[] counts = CandidatesFixture.histogram(algorithm, candidates, picks);
        for (int i = 0; i < weights.length; i++) {
            double expected = (double) picks * weights[i] / total;
            assertThat((double) counts[i]).as("picks of s%d", i).isCloseTo(expected, org.assertj.core.data.Offset.offset(expected * 0.01 + 1));
        }
    }
}

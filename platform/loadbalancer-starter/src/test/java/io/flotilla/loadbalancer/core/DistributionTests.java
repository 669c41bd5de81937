package io.flotilla.loadbalancer.core;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * 60,000 picks with a fixed seed: unweighted algorithms pass a chi-square test against the uniform
 * distribution, weighted ones land within 3% of each instance's expected share.
 */
class DistributionTests {

    private static final long SEED = 20261123L;

    private static final int PICKS = 60_000;

    private static final int[] WEIGHTS = {1, 2, 3, 4};

    // chi-square critical value for 4 degrees of freedom at p = 0.001
    private static final double CHI_SQUARE_4_DF = 18.467;

    @Test
    void roundRobinIsUniform() {
        assertUniform(new RoundRobin(0));
    }

    @Test
    void randomIsUniform() {
        assertUniform(new RandomChoice(seeded()));
    }

    @Test
    void leastConnectionsWithoutLoadRotatesUniformly() {
        assertUniform(new LeastConnections(false, 0));
    }

    @Test
    void powerOfTwoChoicesWithoutLoadIsUniform() {
        assertUniform(new PowerOfTwoChoices(seeded()));
    }

    @Test
    void ipHashSpreadsDistinctAddressesUniformly() {
        IpHash algorithm = new IpHash(0);
        Candidates candidates = CandidatesFixture.uniform(5);
        int[] counts = new int[5];
        for (int i = 0; i < PICKS; i++) {
            counts[algorithm.select(candidates, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255))]++;
        }
        assertThat(chiSquare(counts)).isLessThan(CHI_SQUARE_4_DF);
    }

    @Test
    void consistentHashSpreadsDistinctKeysEvenly() {
        ConsistentHash algorithm = new ConsistentHash(ConsistentHash.DEFAULT_VIRTUAL_NODES, 0);
        Candidates candidates = CandidatesFixture.uniform(5);
        int[] counts = new int[5];
        for (int i = 0; i < PICKS; i++) {
            counts[algorithm.select(candidates, "user-" + i)]++;
        }
        // an instance's share of a ring with V virtual nodes each has a relative spread of about 1/sqrt(V),
        // 8% for 160: allow two and a half of those, far tighter than a ring without virtual nodes
        for (int count : counts) {
            assertThat((double) count).isCloseTo(PICKS / 5.0, within(PICKS / 5.0 * 0.20));
        }
    }

    @Test
    void weightedRandomFollowsWeights() {
        assertWeighted(new WeightedRandom(seeded()));
    }

    @Test
    void smoothWeightedRoundRobinFollowsWeights() {
        assertWeighted(new SmoothWeightedRoundRobin());
    }

    @Test
    void ipHashFollowsWeightsOverManyAddresses() {
        IpHash algorithm = new IpHash(0);
        Candidates candidates = CandidatesFixture.weighted(WEIGHTS);
        int[] counts = new int[WEIGHTS.length];
        for (int i = 0; i < PICKS; i++) {
            counts[algorithm.select(candidates, "192.168." + (i >> 8 & 255) + "." + (i & 255))]++;
        }
        assertShares(counts);
    }

    private static void assertUniform(LoadBalancingAlgorithm algorithm) {
        int[] counts = CandidatesFixture.histogram(algorithm, CandidatesFixture.uniform(5), PICKS);
        assertThat(chiSquare(counts)).as("chi-square of %s", java.util.Arrays.toString(counts)).isLessThan(CHI_SQUARE_4_DF);
    }

    private static void assertWeighted(LoadBalancingAlgorithm algorithm) {
        assertShares(CandidatesFixture.histogram(algorithm, CandidatesFixture.weighted(WEIGHTS), PICKS));
    }

    private static void assertShares(int[] counts) {
        int total = 0;
        for (int weight : WEIGHTS) {
            total += weight;
        }
        for (int i = 0; i < WEIGHTS.length; i++) {
            double expected = (double) PICKS * WEIGHTS[i] / total;
            assertThat((double) counts[i]).as("picks of s%d (weight %d)", i, WEIGHTS[i])
                .isCloseTo(expected, within(expected * 0.03));
        }
    }

    private static double chiSquare(int[] counts) {
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        double expected = (double) total / counts.length;
        double sum = 0;
        for (int count : counts) {
            sum += (count - expected) * (count - expected) / expected;
        }
        return sum;
    }

    private static java.util.function.Supplier<SplittableRandom> seeded() {
        SplittableRandom random = new SplittableRandom(SEED);
        return () -> random;
    }
}

package io.flotilla.loadbalancer.core;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PowerOfTwoChoicesTests {

    @Test
    void neverPicksTheBusiestInstanceWhileOthersAreLessLoaded() {
        InFlightCounters counters = new InFlightCounters();
        Candidates candidates = CandidatesFixture.weighted(counters, 1, 1, 1, 1, 1);
        for (int i = 0; i < 100; i++) {
            counters.started("s3");
        }
        SplittableRandom random = new SplittableRandom(7);
        PowerOfTwoChoices algorithm = new PowerOfTwoChoices(() -> random);
        int[] counts = CandidatesFixture.histogram(algorithm, candidates, 10_000);
        assertThat(counts[3]).isZero();
        for (int i : new int[] {0, 1, 2, 4}) {
            assertThat(counts[i]).isGreaterThan(2_000);
        }
    }

    @Test
    void keepsLoadBalancedWhenRequestsAccumulate() {
        InFlightCounters counters = new InFlightCounters();
        Candidates candidates = CandidatesFixture.weighted(counters, 1, 1, 1, 1);
        for (int i = 0; i < 40; i++) {
            counters.started("s0");
        }
        SplittableRandom random = new SplittableRandom(11);
        PowerOfTwoChoices algorithm = new PowerOfTwoChoices(() -> random);
        for (int i = 0; i < 400; i++) {
            counters.started(candidates.key(algorithm.select(candidates, null)));
        }
        // 440 in flight over 4 instances: s0 gets little more than its head start, the others share the rest
        assertThat(counters.inFlight("s0")).isLessThan(130);
        for (String key : new String[] {"s1", "s2", "s3"}) {
            assertThat(counters.inFlight(key)).isBetween(90, 130);
        }
    }

    @Test
    void singleCandidateIsAlwaysChosen() {
        SplittableRandom random = new SplittableRandom(1);
        PowerOfTwoChoices algorithm = new PowerOfTwoChoices(() -> random);
        assertThat(algorithm.select(CandidatesFixture.uniform(1), null)).isZero();
        assertThat(algorithm.select(CandidatesFixture.uniform(0), null)).isEqualTo(-1);
    }
}

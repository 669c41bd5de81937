package io.flotilla.loadbalancer.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeastConnectionsTests {

    @Test
    void steersAwayFromABusyInstance() {
        InFlightCounters counters = new InFlightCounters();
        Candidates candidates = CandidatesFixture.weighted(counters, 1, 1, 1);
        for (int i = 0; i < 50; i++) {
            counters.started("s1");
        }
        LeastConnections algorithm = new LeastConnections(false, 0);
        int[] counts = new int[3];
        for (int i = 0; i < 1_000; i++) {
            int chosen = algorithm.select(candidates, null);
            counts[chosen]++;
            counters.started(candidates.key(chosen));
        }
        // s1 takes requests only once the others have caught up with its 50
        assertThat(counts[1]).isLessThan(counts[0]).isLessThan(counts[2] + 2);
        assertThat(counters.inFlight("s0")).isBetween(349, 351);
        assertThat(counts[1]).isBetween(299, 301);
    }

    @Test
    void alwaysPicksTheLeastLoadedInstance() {
        InFlightCounters counters = new InFlightCounters();
        Candidates candidates = CandidatesFixture.weighted(counters, 1, 1, 1, 1);
        counters.started("s0");
        counters.started("s0");
        counters.started("s1");
        counters.started("s3");
        LeastConnections algorithm = new LeastConnections(false, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(algorithm.select(candidates, null)).isEqualTo(2);
        }
    }

    @Test
    void completedRequestsMakeAnInstanceAttractiveAgain() {
        InFlightCounters counters = new InFlightCounters();
        Candidates candidates = CandidatesFixture.weighted(counters, 1, 1);
        for (int i = 0; i < 5; i++) {
            counters.started("s0");
        }
        counters.started("s1");
        LeastConnections algorithm = new LeastConnections(false, 0);
        assertThat(algorithm.select(candidates, null)).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            counters.finished("s0");
        }
        assertThat(algorithm.select(candidates, null)).isEqualTo(0);
    }

    @Test
    void weightedVariantLoadsInstancesInProportionToWeight() {
        InFlightCounters counters = new InFlightCounters();
        Candidates candidates = CandidatesFixture.weighted(counters, 1, 3);
        LeastConnections algorithm = new LeastConnections(true, 0);
        for (int i = 0; i < 400; i++) {
            counters.started(candidates.key(algorithm.select(candidates, null)));
        }
        assertThat(counters.inFlight("s0")).isBetween(99, 101);
        assertThat(counters.inFlight("s1")).isBetween(299, 301);
    }

    @Test
    void weightedVariantSteersAwayFromABusyHeavyInstance() {
        InFlightCounters counters = new InFlightCounters();
        Candidates candidates = CandidatesFixture.weighted(counters, 1, 5);
        for (int i = 0; i < 100; i++) {
            counters.started("s1");
        }
        LeastConnections algorithm = new LeastConnections(true, 0);
        // (0+1)/1 beats (100+1)/5 until s0 holds 20
        for (int i = 0; i < 19; i++) {
            int chosen = algorithm.select(candidates, null);
            assertThat(chosen).isZero();
            counters.started(candidates.key(chosen));
        }
    }
}

package io.flotilla.loadbalancer.core;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpHashTests {

    @Test
    void sameAddressAlwaysReachesTheSameInstance() {
        IpHash algorithm = new IpHash(0);
        Candidates candidates = CandidatesFixture.weighted(1, 2, 1, 3);
        for (int client = 0; client < 200; client++) {
            String address = "10.1." + client / 256 + "." + client % 256;
            int first = algorithm.select(candidates, address);
            for (int i = 0; i < 500; i++) {
                assertThat(algorithm.select(candidates, address)).isEqualTo(first);
            }
        }
    }

    @Test
    void differentAddressesReachEveryInstance() {
        IpHash algorithm = new IpHash(0);
        Candidates candidates = CandidatesFixture.uniform(4);
        Set<Integer> reached = new HashSet<>();
        int[] counts = new int[4];
        for (int client = 0; client < 400; client++) {
            int chosen = algorithm.select(candidates, "172.16.0." + client % 256 + "-" + client / 256);
            reached.add(chosen);
            counts[chosen]++;
        }
        assertThat(reached).containsExactlyInAnyOrder(0, 1, 2, 3);
        for (int count : counts) {
            assertThat(count).isBetween(60, 140);
        }
    }

    @Test
    void stickinessSurvivesANewCandidateSnapshotWithTheSameInstances() {
        IpHash algorithm = new IpHash(0);
        int before = algorithm.select(CandidatesFixture.uniform(3), "203.0.113.9");
        int after = algorithm.select(CandidatesFixture.uniform(3), "203.0.113.9");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void requestsWithoutAddressGoRoundRobin() {
        IpHash algorithm = new IpHash(0);
        Candidates candidates = CandidatesFixture.uniform(3);
        assertThat(new int[] {algorithm.select(candidates, null), algorithm.select(candidates, null),
                algorithm.select(candidates, ""), algorithm.select(candidates, null)}).containsExactly(0, 1, 2, 0);
    }
}

package io.flotilla.loadbalancer.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsistentHashTests {

    private static final int KEYS = 20_000;

    @Test
    void aJoiningNodeTakesAboutOneNthOfKeysAndOnlyKeysMoveToIt() {
        for (int nodes : new int[] {3, 5, 10, 30}) {
            List<String> before = nodes(nodes);
            List<String> after = new ArrayList<>(before);
            after.add("10.0.9.99:8080");
            ConsistentHash algorithm = new ConsistentHash(ConsistentHash.DEFAULT_VIRTUAL_NODES, 0);
            Candidates old = CandidatesFixture.named(before);
            Candidates grown = CandidatesFixture.named(after);
            int moved = 0;
            for (int k = 0; k < KEYS; k++) {
                String key = "session-" + k;
                String from = old.key(algorithm.select(old, key));
                String to = grown.key(algorithm.select(grown, key));
                if (!from.equals(to)) {
                    moved++;
                    assertThat(to).as("key %s moved from %s", key, from).isEqualTo("10.0.9.99:8080");
                }
            }
            int newSize = nodes + 1;
            assertThat(moved).as("keys moved when growing %d -> %d nodes", nodes, newSize)
                .isGreaterThan(0)
                .isLessThanOrEqualTo((int) (1.5 * KEYS / newSize));
        }
    }

    @Test
    void aLeavingNodeGivesAwayOnlyItsOwnKeys() {
        List<String> before = nodes(8);
        List<String> after = new ArrayList<>(before);
        String leaving = after.remove(3);
        ConsistentHash algorithm = new ConsistentHash(100, 0);
        Candidates old = CandidatesFixture.named(before);
        Candidates shrunk = CandidatesFixture.named(after);
        for (int k = 0; k < KEYS; k++) {
            String key = "user:" + k;
            String from = old.key(algorithm.select(old, key));
            String to = shrunk.key(algorithm.select(shrunk, key));
            if (!from.equals(leaving)) {
                assertThat(to).isEqualTo(from);
            }
        }
    }

    @Test
    void ownershipDoesNotDependOnInstanceOrder() {
        List<String> ordered = nodes(6);
        List<String> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new java.util.Random(3));
        ConsistentHash algorithm = new ConsistentHash(ConsistentHash.DEFAULT_VIRTUAL_NODES, 0);
        Candidates a = CandidatesFixture.named(ordered);
        Candidates b = CandidatesFixture.named(shuffled);
        for (int k = 0; k < 2_000; k++) {
            String key = "k" + k;
            assertThat(b.key(algorithm.select(b, key))).isEqualTo(a.key(algorithm.select(a, key)));
        }
    }

    @Test
    void sameKeyStaysOnOneInstance() {
        ConsistentHash algorithm = new ConsistentHash(ConsistentHash.DEFAULT_VIRTUAL_NODES, 0);
        Candidates candidates = CandidatesFixture.named(nodes(5));
        int first = algorithm.select(candidates, "cart-42");
        for (int i = 0; i < 1_000; i++) {
            assertThat(algorithm.select(candidates, "cart-42")).isEqualTo(first);
        }
    }

    private static List<String> nodes(int count) {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add("10.0.0." + (i + 1) + ":8080");
        }
        return nodes;
    }
}

package io.flotilla.loadbalancer.core;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: two distinct random candidates, the one with fewer in-flight requests wins (the
 * first drawn on ties). Nearly as good as least connections at O(1) cost, and it does not herd every
 * balancer onto the same idle instance.
 */
public final class PowerOfTwoChoices implements LoadBalancingAlgorithm {

    private final Supplier<? extends RandomGenerator> random;

    /** Power of two choices drawing from {@code random} ({@code ThreadLocalRandom::current} in production). */
    public PowerOfTwoChoices(Supplier<? extends RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public int select(Candidates candidates, String key) {
        int size = candidates.size();
        if (size == 0) {
            return -1;
        }
        if (size == 1) {
            return 0;
        }
        RandomGenerator generator = random.get();
        int first = generator.nextInt(size);
        int second = generator.nextInt(size - 1);
        if (second >= first) {
            second++;
        }
        return candidates.inFlight(second) < candidates.inFlight(first) ? second : first;
    }
}

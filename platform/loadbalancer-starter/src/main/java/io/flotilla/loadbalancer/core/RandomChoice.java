package io.flotilla.loadbalancer.core;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Uniformly random candidate. */
public final class RandomChoice implements LoadBalancingAlgorithm {

    private final Supplier<? extends RandomGenerator> random;

    /** Random choice drawing from {@code random} ({@code ThreadLocalRandom::current} in production). */
    public RandomChoice(Supplier<? extends RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public int select(Candidates candidates, String key) {
        int size = candidates.size();
        if (size == 0) {
            return -1;
        }
        return size == 1 ? 0 : random.get().nextInt(size);
    }
}

package io.flotilla.loadbalancer.core;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Random candidate with probability weight / total weight: a draw in [0, total) is looked up by binary
 * search in the prefix sums of the weights, which are built once per candidate list.
 */
public final class WeightedRandom implements LoadBalancingAlgorithm {

    private final Supplier<? extends RandomGenerator> random;

    /** Weighted random drawing from {@code random} ({@code ThreadLocalRandom::current} in production). */
    public WeightedRandom(Supplier<? extends RandomGenerator> random) {
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
        return PrefixSums.of(candidates).indexOf(random.get().nextLong(candidates.totalWeight()));
    }
}

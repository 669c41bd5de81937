package io.flotilla.loadbalancer.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Creates algorithm instances by {@link Algorithm} name. */
public final class Algorithms {

    private Algorithms() {
    }

    /** Production instance: thread-local randomness, rotating state starting at a random position. */
    public static LoadBalancingAlgorithm create(Algorithm algorithm, int virtualNodes) {
        return create(algorithm, virtualNodes, ThreadLocalRandom::current, ThreadLocalRandom.current().nextInt(1000));
    }

    /**
     * Instance drawing from {@code random}, with round-robin style state starting at {@code start}
     * (tests pass a seeded generator and 0 to be reproducible).
     */
    public static LoadBalancingAlgorithm create(Algorithm algorithm, int virtualNodes,
            Supplier<? extends RandomGenerator> random, int start) {
        return switch (algorithm) {
            case ROUND_ROBIN -> new RoundRobin(start);
            case WEIGHTED_ROUND_ROBIN -> new SmoothWeightedRoundRobin();
            case RANDOM -> new RandomChoice(random);
            case WEIGHTED_RANDOM -> new WeightedRandom(random);
            case LEAST_CONNECTIONS -> new LeastConnections(false, start);
            case WEIGHTED_LEAST_CONNECTIONS -> new LeastConnections(true, start);
            case IP_HASH -> new IpHash(start);
            case CONSISTENT_HASH -> new ConsistentHash(virtualNodes, start);
            case P2C -> new PowerOfTwoChoices(random);
        };
    }
}

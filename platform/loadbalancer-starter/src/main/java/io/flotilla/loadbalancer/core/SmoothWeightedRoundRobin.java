package io.flotilla.loadbalancer.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin (nginx): every round each candidate's current weight grows by its weight,
 * the largest current weight wins (the first one on ties) and gives back the sum of all weights. With
 * weights {1, 2, 3} the picks are s2, s1, s0, s2, s1, s2, then the cycle repeats.
 * <p>
 * The cycle has {@code sum(weights)} picks and then returns to all-zero current weights, so it is computed
 * once per candidate list and an atomic counter walks it: lock-free, and concurrent callers still see the
 * exact nginx sequence between them. Weights are first divided by their greatest common divisor; cycles
 * longer than {@value #MAX_CYCLE} are computed on weights scaled down proportionally (each kept at least 1),
 * which changes shares by well under one percent.
 */
public final class SmoothWeightedRoundRobin implements LoadBalancingAlgorithm {

    static final int MAX_CYCLE = 1 << 16;

    private final AtomicLong position = new AtomicLong();

    @Override
    public int select(Candidates candidates, String key) {
        int size = candidates.size();
        if (size == 0) {
            return -1;
        }
        if (size == 1) {
            return 0;
        }
        int[] cycle = cycle(candidates);
        return cycle[(int) Long.remainderUnsigned(position.getAndIncrement(), cycle.length)];
    }

    private static int[] cycle(Candidates candidates) {
        if (candidates.algorithmState() instanceof Cycle state) {
            return state.picks;
        }
        int[] picks = computeCycle(weights(candidates));
        candidates.algorithmState(new Cycle(picks));
        return picks;
    }

    private static int[] weights(Candidates candidates) {
        int size = candidates.size();
        int[] weights = new int[size];
        int gcd = 0;
        for (int i = 0; i < size; i++) {
            weights[i] = candidates.weight(i);
            gcd = gcd(gcd, weights[i]);
        }
        long total = 0;
        for (int i = 0; i < size; i++) {
            weights[i] /= gcd;
            total += weights[i];
        }
        if (total > MAX_CYCLE) {
            double scale = (double) (MAX_CYCLE - size) / total;
            for (int i = 0; i < size; i++) {
                weights[i] = Math.max(1, (int) Math.round(weights[i] * scale));
            }
        }
        return weights;
    }

    /** One full cycle of the nginx algorithm for these weights. */
    static int[] computeCycle(int[] weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        long[] current = new long[weights.length];
        int[] picks = new int[total];
        for (int round = 0; round < total; round++) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            picks[round] = best;
        }
        return picks;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private record Cycle(int[] picks) {
    }
}

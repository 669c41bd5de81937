package io.flotilla.loadbalancer.core;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Immutable snapshot of the eligible instances of one service, in the order the algorithms index them.
 * <p>
 * Built once per instance list (the Spring adapter caches it by list identity and content) so that a
 * selection does not allocate: weights, in-flight counters and the algorithm's own structure (hash ring,
 * weight prefix sums, the smooth round-robin cycle) are prepared here and reused.
 */
public final class Candidates {

    private final String[] keys;
    private final int[] weights;
    private final long totalWeight;
    private final AtomicInteger[] inFlight;
    private volatile Object algorithmState;

    private Candidates(String[] keys, int[] weights, AtomicInteger[] inFlight) {
        this.keys = keys;
        this.weights = weights;
        this.inFlight = inFlight;
        long total = 0;
        for (int weight : weights) {
            total += weight;
        }
        this.totalWeight = total;
    }

    /**
     * Snapshot of instances identified by {@code keys} with their {@code weights} (each at least 1), reading
     * in-flight counts from {@code counters}.
     */
    public static Candidates of(List<String> keys, int[] weights, InFlightCounters counters) {
        if (keys.size() != weights.length) {
            throw new IllegalArgumentException("keys and weights differ in length: " + keys.size() + " vs " + weights.length);
        }
        String[] keyArray = keys.toArray(String[]::new);
        AtomicInteger[] counterArray = new AtomicInteger[keyArray.length];
        for (int i = 0; i < keyArray.length; i++) {
            if (weights[i] < 1) {
                throw new IllegalArgumentException("weight of " + keyArray[i] + " must be at least 1, was " + weights[i]);
            }
            counterArray[i] = counters.counter(keyArray[i]);
        }
        return new Candidates(keyArray, weights.clone(), counterArray);
    }

    /** Number of candidates. */
    public int size() {
        return keys.length;
    }

    /** Key of the candidate at {@code index}. */
    public String key(int index) {
        return keys[index];
    }

    /** Weight of the candidate at {@code index}. */
    public int weight(int index) {
        return weights[index];
    }

    /** Sum of all weights. */
    public long totalWeight() {
        return totalWeight;
    }

    /** In-flight requests of the candidate at {@code index}. */
    public int inFlight(int index) {
        return inFlight[index].get();
    }

    /** Whether both snapshots hold the same keys with the same weights in the same order. */
    public boolean sameAs(Candidates other) {
        return Arrays.equals(keys, other.keys) && Arrays.equals(weights, other.weights);
    }

    Object algorithmState() {
        return algorithmState;
    }

    void algorithmState(Object state) {
        this.algorithmState = state;
    }
}

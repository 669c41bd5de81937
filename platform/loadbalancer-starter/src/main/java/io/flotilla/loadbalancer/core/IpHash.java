package io.flotilla.loadbalancer.core;

/**
 * Sticky by client address: the address hashes to a point in [0, total weight), which falls into one
 * candidate's weight interval, so the same client reaches the same instance while the instance list is
 * unchanged and clients spread in proportion to weights. Requests without an address fall back to round
 * robin. When the list changes most clients move; use {@link ConsistentHash} when that matters.
 */
public final class IpHash implements LoadBalancingAlgorithm {

    private final RoundRobin fallback;

    /** IP hash whose keyless requests go round robin starting at {@code start}. */
    public IpHash(int start) {
        this.fallback = new RoundRobin(start);
    }

    @Override
    public int select(Candidates candidates, String key) {
        int size = candidates.size();
        if (size == 0) {
            return -1;
        }
        if (key == null || key.isEmpty()) {
            return fallback.select(candidates, null);
        }
        if (size == 1) {
            return 0;
        }
        long point = Long.remainderUnsigned(Hashing.hash(key), candidates.totalWeight());
        return PrefixSums.of(candidates).indexOf(point);
    }
}

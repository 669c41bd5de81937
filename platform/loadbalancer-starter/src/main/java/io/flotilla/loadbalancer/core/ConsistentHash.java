package io.flotilla.loadbalancer.core;

import java.util.Arrays;

/**
 * Hash ring with virtual nodes (Karger et al., as in ketama): each candidate owns {@code virtualNodes}
 * points hashed from its key, and a request key belongs to the first point at or after its own hash. When
 * an instance joins, only the keys falling just before its points move, all of them to the new instance:
 * about 1/N of the keys. The ring depends only on candidate keys, not on their order or weights, and is
 * built once per candidate list. Requests without a key fall back to round robin.
 */
public final class ConsistentHash implements LoadBalancingAlgorithm {

    /** Virtual nodes per instance when none are configured. */
    public static final int DEFAULT_VIRTUAL_NODES = 160;

    private final int virtualNodes;
    private final RoundRobin fallback;

    /** Ring with {@code virtualNodes} points per instance; keyless requests go round robin from {@code start}. */
    public ConsistentHash(int virtualNodes, int start) {
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be at least 1, was " + virtualNodes);
        }
        this.virtualNodes = virtualNodes;
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
        return ring(candidates).owner(Hashing.hash(key));
    }

    private Ring ring(Candidates candidates) {
        if (candidates.algorithmState() instanceof Ring ring && ring.virtualNodes == virtualNodes) {
            return ring;
        }
        Ring ring = Ring.build(candidates, virtualNodes);
        candidates.algorithmState(ring);
        return ring;
    }

    private static final class Ring {

        private final int virtualNodes;
        private final long[] points;
        private final int[] owners;

        private Ring(int virtualNodes, long[] points, int[] owners) {
            this.virtualNodes = virtualNodes;
            this.points = points;
            this.owners = owners;
        }

        static Ring build(Candidates candidates, int virtualNodes) {
            int size = candidates.size();
            long[] packed = new long[size * virtualNodes];
            long[] hashes = new long[packed.length];
            int n = 0;
            for (int candidate = 0; candidate < size; candidate++) {
                for (int replica = 0; replica < virtualNodes; replica++) {
                    hashes[n++] = Hashing.hash(candidates.key(candidate), replica);
                }
            }
            // sort point indices by hash; ties (vanishingly rare) resolve by candidate key for determinism
            Integer[] order = new Integer[hashes.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int byHash = Long.compareUnsigned(hashes[a], hashes[b]);
                return byHash != 0 ? byHash
                        : candidates.key(a / virtualNodes).compareTo(candidates.key(b / virtualNodes));
            });
            int[] owners = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                packed[i] = hashes[order[i]];
                owners[i] = order[i] / virtualNodes;
            }
            return new Ring(virtualNodes, packed, owners);
        }

        int owner(long hash) {
            int low = 0;
            int high = points.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (Long.compareUnsigned(points[mid], hash) < 0) {
                    low = mid + 1;
                }
                else {
                    high = mid;
                }
            }
            return owners[low == points.length ? 0 : low];
        }
    }
}

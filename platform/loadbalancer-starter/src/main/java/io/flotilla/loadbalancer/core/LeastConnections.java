package io.flotilla.loadbalancer.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Candidate with the fewest in-flight requests. With weights, the candidate with the lowest
 * (in-flight + 1) / weight, the load it would have after taking this request relative to its capacity,
 * so an idle heavy instance is preferred to an idle light one. The scan starts at a rotating offset, so
 * ties (an idle service) are broken round-robin instead of always landing on the first instance.
 */
public final class LeastConnections implements LoadBalancingAlgorithm {

    private final boolean weighted;
    private final AtomicInteger offset;

    /** Least connections, weighted or not, with tie rotation starting at {@code start}. */
    public LeastConnections(boolean weighted, int start) {
        this.weighted = weighted;
        this.offset = new AtomicInteger(start);
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
        int first = Math.floorMod(offset.getAndIncrement(), size);
        int best = first;
        long bestLoad = candidates.inFlight(first) + (weighted ? 1L : 0L);
        long bestWeight = weighted ? candidates.weight(first) : 1L;
        for (int step = 1; step < size; step++) {
            int i = first + step;
            if (i >= size) {
                i -= size;
            }
            long load = candidates.inFlight(i) + (weighted ? 1L : 0L);
            long weight = weighted ? candidates.weight(i) : 1L;
            // load / weight < bestLoad / bestWeight, without division
            if (load * bestWeight < bestLoad * weight) {
                best = i;
                bestLoad = load;
                bestWeight = weight;
            }
        }
        return best;
    }
}

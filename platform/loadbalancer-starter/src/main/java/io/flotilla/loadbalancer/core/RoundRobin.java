package io.flotilla.loadbalancer.core;

import java.util.concurrent.atomic.AtomicInteger;

/** Each candidate in turn. */
public final class RoundRobin implements LoadBalancingAlgorithm {

    private final AtomicInteger position;

    /** Round robin starting at {@code start}. */
    public RoundRobin(int start) {
        this.position = new AtomicInteger(start);
    }

    @Override
    public int select(Candidates candidates, String key) {
        int size = candidates.size();
        if (size == 0) {
            return -1;
        }
        return Math.floorMod(position.getAndIncrement(), size);
    }
}

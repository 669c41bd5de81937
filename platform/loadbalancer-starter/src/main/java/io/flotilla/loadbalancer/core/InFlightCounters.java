package io.flotilla.loadbalancer.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-flight request count per instance key, shared by the load balancers (which read it) and the
 * request lifecycle (which counts requests up when they start and down when they complete).
 * <p>
 * Counters are never removed: a {@link Candidates} snapshot holds references to them, and an instance
 * that leaves and comes back must find its outstanding requests still counted.
 */
public final class InFlightCounters {

    private final ConcurrentMap<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    /** Counter of the instance with this key, created at zero on first use. */
    public AtomicInteger counter(String instanceKey) {
        AtomicInteger counter = counters.get(instanceKey);
        return counter != null ? counter : counters.computeIfAbsent(instanceKey, key -> new AtomicInteger());
    }

    /** Counts a request to the instance as started. */
    public void started(String instanceKey) {
        counter(instanceKey).incrementAndGet();
    }

    /** Counts a request to the instance as finished; never goes below zero. */
    public void finished(String instanceKey) {
        counter(instanceKey).updateAndGet(current -> current > 0 ? current - 1 : 0);
    }

    /** Current in-flight requests of the instance. */
    public int inFlight(String instanceKey) {
        AtomicInteger counter = counters.get(instanceKey);
        return counter == null ? 0 : counter.get();
    }
}

package io.flotilla.loadbalancer.core;

/**
 * Picks one of a service's candidates for a request. Implementations are thread-safe, lock-free and do not
 * allocate on the selection path once the per-list structure is built.
 */
public interface LoadBalancingAlgorithm {

    /**
     * Index of the chosen candidate, or {@code -1} when there are none.
     * @param candidates eligible instances (never containing unhealthy ones)
     * @param key request key for hashing algorithms (client address, header or cookie value); may be
     * {@code null}, and algorithms that do not hash ignore it
     */
    int select(Candidates candidates, String key);
}

package io.flotilla.loadbalancer.core;

/**
 * Load-balancing algorithms, named in properties by their kebab-case form ({@code weighted-round-robin}).
 */
public enum Algorithm {

    /** Each candidate in turn. */
    ROUND_ROBIN,

    /** Smooth weighted round robin as in nginx: heavy instances are interleaved, not bunched. */
    WEIGHTED_ROUND_ROBIN,

    /** Uniformly random candidate. */
    RANDOM,

    /** Random candidate with probability proportional to its weight. */
    WEIGHTED_RANDOM,

    /** Candidate with the fewest in-flight requests; ties rotate. */
    LEAST_CONNECTIONS,

    /** Candidate with the lowest (in-flight + 1) / weight; ties rotate. */
    WEIGHTED_LEAST_CONNECTIONS,

    /** Same client address, same candidate while the candidate list is unchanged (weighted). */
    IP_HASH,

    /** Hash ring with virtual nodes: a key keeps its candidate, and a joining node takes only about 1/N of keys. */
    CONSISTENT_HASH,

    /** Power of two choices: two random candidates, the one with fewer in-flight requests wins. */
    P2C;

    /** Whether selection needs a request key (client address, header or cookie). */
    public boolean usesKey() {
        return this == IP_HASH || this == CONSISTENT_HASH;
    }
}

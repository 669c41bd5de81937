package io.flotilla.registry.client;

/** How fresh a read must be; see the registry's README. */
public enum Consistency {

    /** Linearizable: the leader confirms its leadership (ReadIndex) before answering. */
    DEFAULT,

    /** Served by whichever node answers, possibly behind the leader; cheapest, and survives a lost quorum. */
    STALE
}

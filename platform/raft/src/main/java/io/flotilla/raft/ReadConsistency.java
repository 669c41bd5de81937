package io.flotilla.raft;

/** How fresh a read must be. */
public enum ReadConsistency {
    /**
     * Reflects every write acknowledged before the read started (ReadIndex). Served by the leader only;
     * a follower answers with {@link NotLeaderException}.
     */
    LINEARIZABLE,
    /**
     * Served by any node from its own state machine, possibly behind the leader. Combined with a
     * {@code minIndex} (the log index a client's own write returned) it gives read-your-writes at a
     * follower: the read waits until that index is applied locally.
     */
    STALE
}

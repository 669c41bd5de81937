package io.flotilla.raft;

/** What a node is doing in its current term. */
public enum Role {
    FOLLOWER,
    /** Asking for pre-votes: the term is not bumped until a majority says it would vote. */
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}

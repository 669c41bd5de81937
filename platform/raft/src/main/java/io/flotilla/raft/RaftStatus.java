package io.flotilla.raft;

import java.util.Map;

/**
 * A point-in-time view of a node, for health endpoints and tests. {@code matchIndex} holds, on a leader,
 * the last index known replicated on each follower (empty elsewhere).
 *
 * <p>{@code catchUpIndex} is what this node must have applied before it can serve under the current leader: on
 * a follower, the leader's commit index as the leader first reported it in this term; on a leader, its commit
 * index once an entry of its own term has committed. It is -1 while no leader is known, or while a new leader has
 * not yet committed in its term. {@code running} is true from {@code start()} until the node closes;
 * {@code failure} is the fault that stopped it (fail-stop), null otherwise.
 */
public record RaftStatus(String nodeId, Role role, long term, String leaderId, long commitIndex,
                         long appliedIndex, long lastLogIndex, long snapshotIndex, Map<String, Long> matchIndex,
                         long electionCount, ClusterConfig config, long catchUpIndex, boolean running,
                         Throwable failure) {

    public RaftStatus {
        matchIndex = Map.copyOf(matchIndex);
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /**
     * Whether this node knows a leader and has applied everything that leader had committed when this node
     * learned of it: a request it takes now is served (or forwarded) without waiting for an election or a catch-up.
     */
    public boolean caughtUp() {
        return running && leaderId != null && catchUpIndex >= 0 && appliedIndex >= catchUpIndex;
    }

    /** Whether the node stopped itself after a fault and must be restarted to recover from disk. */
    public boolean failed() {
        return failure != null;
    }
}

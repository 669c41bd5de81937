package io.flotilla.raft;

import java.util.Map;

/**
 * A point-in-time view of a node, for health endpoints and tests. {@code matchIndex} holds, on a leader,
 * the last index known replicated on each follower (empty elsewhere).
 */
public record RaftStatus(String nodeId, Role role, long term, String leaderId, long commitIndex,
                         long appliedIndex, long lastLogIndex, long snapshotIndex, Map<String, Long> matchIndex,
                         long electionCount, ClusterConfig config) {

    public RaftStatus {
        matchIndex = Map.copyOf(matchIndex);
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }
}

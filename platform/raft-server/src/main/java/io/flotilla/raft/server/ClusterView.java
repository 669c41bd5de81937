package io.flotilla.raft.server;

import java.util.List;

/**
 * One node's view of its cluster, the body of {@code GET /v1/cluster}. {@code leaderId} is null during an
 * election. A member's {@code matchIndex} (the last log index known replicated on it) is known only to the
 * leader, so it is null in a follower's view.
 */
public record ClusterView(String nodeId, String leaderId, long term, long commitIndex, long appliedIndex,
                          List<Member> members) {

    public ClusterView {
        members = List.copyOf(members);
    }

    /**
     * @param address     {@code host:raftPort}, where the member's Raft transport listens
     * @param httpAddress the HTTP base URL the member published through the log; null until it has
     * @param role        {@code LEADER}, {@code FOLLOWER}, {@code CANDIDATE} or {@code PRE_CANDIDATE}
     */
    public record Member(String id, String address, String httpAddress, String role, Long matchIndex) {
    }
}

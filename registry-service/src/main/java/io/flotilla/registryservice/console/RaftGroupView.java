package io.flotilla.registryservice.console;

import io.flotilla.raft.server.ClusterView;

import java.time.Instant;
import java.util.List;

/**
 * One Raft group as the cluster page shows it: every member's own view (asked of the member itself), and the
 * lag of each behind the leader's commit index.
 *
 * @param problem why the group could not be shown; null when it could
 */
public record RaftGroupView(String name, String leaderId, long term, Instant leaderSince, boolean leaderChangeObserved,
                     List<Row> members, String problem) {

    /**
     * @param view       the member's own {@code GET /v1/cluster}; null when it did not answer
     * @param matchIndex the last index the leader knows replicated on it (null unless the leader answered)
     * @param lag        entries the member has yet to apply of what the leader committed (null when unknown)
     */
    public record Row(ClusterView.Member member, ClusterView view, Long matchIndex, Long lag) {

        public String role() {
            return view == null ? "UNREACHABLE" : view.members().stream()
                    .filter(m -> m.id().equals(view.nodeId())).map(ClusterView.Member::role).findFirst()
                    .orElse(member.role());
        }
    }

    private static final java.time.format.DateTimeFormatter UTC_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    public String leaderSinceText() {
        return leaderSince == null ? "—" : UTC_TIME.format(leaderSince);
    }

    static RaftGroupView unavailable(String name, String problem) {
        return new RaftGroupView(name, null, 0, null, false, List.of(), problem);
    }
}

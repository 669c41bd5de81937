package io.flotilla.registryservice.console;

import io.flotilla.raft.server.ClusterView;
import io.flotilla.raft.server.RaftServer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Looks at a Raft group member by member: each member's own {@code GET /v1/cluster} (a local answer, never
 * forwarded), asked in parallel, so the page shows every node's term, commit and applied index, not only the
 * leader's idea of them.
 */
class RaftGroups {

    private final RaftServer registry;
    private final ConsoleHttp http;
    private final LeaderChanges leaderChanges;
    private final Clock clock;

    RaftGroups(RaftServer registry, ConsoleHttp http, LeaderChanges leaderChanges, Clock clock) {
        this.registry = registry;
        this.http = http;
        this.leaderChanges = leaderChanges;
        this.clock = clock;
    }

    RaftGroupView registry() {
        return group("registry", registry.clusterView());
    }

    /** The group whose member answers at {@code anyMemberUrl}. */
    RaftGroupView remote(String name, Optional<String> anyMemberUrl) {
        if (anyMemberUrl.isEmpty()) {
            return RaftGroupView.unavailable(name, "no address known (set "
                    + ConsoleProperties.PREFIX + ".coordinator-url)");
        }
        return http.get(anyMemberUrl.get() + "/v1/cluster", ClusterView.class)
                .map(view -> group(name, view))
                .orElseGet(() -> RaftGroupView.unavailable(name, anyMemberUrl.get() + " does not answer"));
    }

    /** The group as {@code seed} (one member's own view) lists it, every other member asked for its own. */
    private RaftGroupView group(String name, ClusterView seed) {
        Map<String, ClusterView> views = ask(seed);
        String leaderId = views.values().stream().map(ClusterView::leaderId).filter(id -> id != null)
                .max((a, b) -> Long.compare(termOf(views, a), termOf(views, b))).orElse(seed.leaderId());
        ClusterView leaderView = leaderId == null ? null : views.get(leaderId);
        long term = views.values().stream().mapToLong(ClusterView::term).max().orElse(seed.term());
        LeaderChanges.Seen seen = leaderChanges.observe(name, leaderId, term, clock.instant());
        List<RaftGroupView.Row> rows = new ArrayList<>();
        for (ClusterView.Member member : seed.members()) {
            ClusterView view = views.get(member.id());
            Long matchIndex = leaderView == null ? null : leaderView.members().stream()
                    .filter(m -> m.id().equals(member.id())).map(ClusterView.Member::matchIndex).findFirst()
                    .orElse(null);
            Long lag = leaderView == null || view == null ? null
                    : Math.max(0, leaderView.commitIndex() - view.appliedIndex());
            rows.add(new RaftGroupView.Row(member, view, matchIndex, lag));
        }
        return new RaftGroupView(name, leaderId, term, seen.since(), seen.observedChange(), rows, null);
    }

    private static long termOf(Map<String, ClusterView> views, String leaderId) {
        ClusterView view = views.get(leaderId);
        return view == null ? 0 : view.term();
    }

    private Map<String, ClusterView> ask(ClusterView seed) {
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, CompletableFuture<Optional<ClusterView>>> asked = seed.members().stream()
                    .collect(Collectors.toMap(ClusterView.Member::id, member -> member.id().equals(seed.nodeId())
                            ? CompletableFuture.completedFuture(Optional.of(seed))
                            : member.httpAddress() == null ? CompletableFuture.completedFuture(Optional.empty())
                            : CompletableFuture.supplyAsync(
                                    () -> http.get(member.httpAddress() + "/v1/cluster", ClusterView.class), calls)));
            return asked.entrySet().stream().filter(e -> e.getValue().join().isPresent())
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().join().orElseThrow(),
                            (a, b) -> a, java.util.TreeMap::new));
        }
    }
}

package io.flotilla.raft.server;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Raft group as this node sees it, single-server membership changes, and the address each member publishes.
 * Changes go to the leader (a follower forwards them); one membership change at a time, a second one while one is
 * pending fails with 503 and can be retried. Errors are answered by {@link ClusterProblemHandler}.
 */
@RestController
@RequestMapping("/v1/cluster")
public class ClusterController {

    private final RaftServer raft;

    public ClusterController(RaftServer raft) {
        this.raft = raft;
    }

    /** Body of {@code POST /v1/cluster/members}: {@code address} is {@code host:raftPort}. */
    public record MemberRequest(String id, String address) {
    }

    /** Body of {@code PUT /v1/cluster/members/{id}/url}: the member's HTTP base URL. */
    public record MemberUrlRequest(String url) {
    }

    /** The Raft group as this node sees it: leader, term, indexes, members with their addresses. */
    @GetMapping
    public ClusterView cluster() {
        return raft.clusterView();
    }

    /** The members of the Raft group, with roles and published HTTP addresses. */
    @GetMapping("/members")
    public List<ClusterView.Member> members() {
        return raft.clusterView().members();
    }

    /** Add a voting member; answers once the new configuration has committed. */
    @PostMapping("/members")
    public CompletableFuture<ClusterView> add(@RequestBody MemberRequest request) {
        if (request == null || request.id() == null || request.id().isBlank() || request.address() == null) {
            throw new IllegalArgumentException("id and address (host:raftPort) are required");
        }
        MemberAddress.parse(request.address());
        return raft.addMember(request.id().trim(), request.address()).thenApply(done -> raft.clusterView());
    }

    /** Remove a voting member; answers once the new configuration has committed. */
    @DeleteMapping("/members/{id}")
    public CompletableFuture<ResponseEntity<Void>> remove(@PathVariable String id) {
        if (raft.status().config().member(id).isEmpty()) {
            throw new MemberNotFoundException(id);
        }
        return raft.removeMember(id).thenApply(done -> ResponseEntity.noContent().<Void>build());
    }

    /** Record the HTTP address a member publishes (members call this themselves at start-up). */
    @PutMapping("/members/{id}/url")
    public CompletableFuture<ResponseEntity<Void>> publishUrl(@PathVariable String id,
                                                             @RequestBody MemberUrlRequest request) {
        if (raft.status().config().member(id).isEmpty()) {
            throw new MemberNotFoundException(id);
        }
        return raft.publishMemberUrl(id, request == null ? null : request.url())
                .thenApply(done -> ResponseEntity.noContent().<Void>build());
    }

    /** No member with that id in the current configuration. */
    public static class MemberNotFoundException extends RuntimeException {
        public MemberNotFoundException(String id) {
            super("'" + id + "' is not a member of the cluster");
        }
    }
}

package io.flotilla.registryservice.cluster;

import io.flotilla.raft.server.ClusterView;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.registryservice.store.InvalidRequestException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Raft cluster as this node sees it, and single-server membership changes (sent to the leader; one at a
 * time: a second change while one is pending fails with 503 and can be retried).
 */
@RestController
@RequestMapping("/v1/cluster")
class ClusterController {

    private final RaftServer raft;

    ClusterController(RaftServer raft) {
        this.raft = raft;
    }

    /** Body of {@code POST /v1/cluster/members}: {@code address} is {@code host:raftPort[/httpPort]}. */
    record MemberRequest(String id, String address) {
    }

    @GetMapping
    ClusterView cluster() {
        return raft.clusterView();
    }

    @GetMapping("/members")
    List<ClusterView.Member> members() {
        return raft.clusterView().members();
    }

    /** Adds a voting member; answers once the new configuration has committed. */
    @PostMapping("/members")
    CompletableFuture<ClusterView> add(@RequestBody MemberRequest request) {
        if (request.id() == null || request.id().isBlank() || request.address() == null) {
            throw new InvalidRequestException("id and address (host:raftPort[/httpPort]) are required");
        }
        return raft.addMember(request.id(), request.address()).thenApply(done -> raft.clusterView());
    }

    /** Removes a voting member; answers once the new configuration has committed. */
    @DeleteMapping("/members/{id}")
    CompletableFuture<ResponseEntity<Void>> remove(@PathVariable String id) {
        return raft.removeMember(id).thenApply(done -> ResponseEntity.noContent().<Void>build());
    }
}

package io.flotilla.txcoordinator.raft;

import io.flotilla.raft.server.ClusterView;
import io.flotilla.raft.server.RaftServer;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** This node's view of the coordinator's Raft group, for operators. */
@RestController
public class ClusterController {

    private final RaftServer raft;

    public ClusterController(RaftServer raft) {
        this.raft = raft;
    }

    @Operation(summary = "The Raft group as this node sees it: leader, term, members and their roles")
    @GetMapping("/v1/cluster")
    public ClusterView cluster() {
        return raft.clusterView();
    }
}

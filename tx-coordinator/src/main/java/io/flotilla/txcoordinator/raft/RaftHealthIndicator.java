package io.flotilla.txcoordinator.raft;

import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.server.RaftServer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Shows this node's place in the Raft group. Always UP while the node runs: a follower without a leader is still a
 * healthy process (the group may be electing, or this is the first node of three to start), and requests it cannot
 * serve answer 503 themselves.
 */
@Component("raft")
public class RaftHealthIndicator implements HealthIndicator {

    private final RaftServer raft;

    public RaftHealthIndicator(RaftServer raft) {
        this.raft = raft;
    }

    @Override
    public Health health() {
        RaftStatus status = raft.status();
        return Health.up().withDetail("nodeId", status.nodeId()).withDetail("role", status.role().name())
                .withDetail("term", status.term()).withDetail("leaderId", String.valueOf(status.leaderId()))
                .withDetail("commitIndex", status.commitIndex()).withDetail("appliedIndex", status.appliedIndex())
                .build();
    }
}

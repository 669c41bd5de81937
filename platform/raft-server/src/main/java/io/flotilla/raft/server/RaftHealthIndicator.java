package io.flotilla.raft.server;

import io.flotilla.raft.RaftStatus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The node's place in its Raft group, and whether it can serve ({@link RaftServer#readiness()}): UP when it can,
 * OUT_OF_SERVICE while it cannot yet (no leader, catching up, addresses not yet published), DOWN once it has
 * stopped itself after a fault. The kit puts it in the readiness group, so {@code /actuator/health/readiness}
 * (compose, Kubernetes, {@code ./flotilla up}) says "can serve now", not "the process is up".
 */
public class RaftHealthIndicator implements HealthIndicator {

    private final RaftServer raft;

    public RaftHealthIndicator(RaftServer raft) {
        this.raft = raft;
    }

    @Override
    public Health health() {
        RaftStatus status = raft.status();
        RaftReadiness readiness = raft.readiness();
        Health.Builder health;
        if (status.failed()) {
            health = Health.down().withDetail("action", "restart the node: it stopped itself after a fault and "
                    + "recovers from its data directory on restart");
        } else if (readiness.ready()) {
            health = Health.up();
        } else {
            health = Health.status(Status.OUT_OF_SERVICE);
        }
        return health.withDetail("nodeId", status.nodeId()).withDetail("role", status.role().name())
                .withDetail("term", status.term()).withDetail("leaderId", String.valueOf(status.leaderId()))
                .withDetail("commitIndex", status.commitIndex()).withDetail("appliedIndex", status.appliedIndex())
                .withDetail("state", readiness.reason())
                .build();
    }
}

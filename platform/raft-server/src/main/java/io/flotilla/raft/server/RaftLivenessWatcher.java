package io.flotilla.raft.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Marks the application BROKEN (liveness DOWN) once its Raft node has stopped itself after a fault, so Kubernetes
 * and compose restart it: a fail-stopped node never serves again, and a restart recovers it from disk. Checked
 * every tick rather than once, because Spring Boot itself sets CORRECT when the application has started.
 */
public final class RaftLivenessWatcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RaftLivenessWatcher.class);

    private final RaftServer raft;
    private final ApplicationAvailability availability;
    private final ApplicationEventPublisher events;

    public RaftLivenessWatcher(RaftServer raft, ApplicationAvailability availability,
                               ApplicationEventPublisher events) {
        this.raft = raft;
        this.availability = availability;
        this.events = events;
    }

    @Override
    public void run() {
        if (raft.status().failed() && availability.getLivenessState() != LivenessState.BROKEN) {
            log.error("Raft node {} stopped itself after a fault ({}); liveness is now BROKEN: restart the process",
                    raft.nodeId(), raft.status().failure().toString());
            AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
        }
    }
}

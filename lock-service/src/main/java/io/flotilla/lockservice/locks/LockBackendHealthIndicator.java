package io.flotilla.lockservice.locks;

import io.flotilla.lock.core.LockBackend;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** DOWN when the lock store does not answer: every lock request would fail with 503. */
@Component("lockBackend")
public class LockBackendHealthIndicator implements HealthIndicator {

    private final LockBackend backend;

    public LockBackendHealthIndicator(LockBackend backend) {
        this.backend = backend;
    }

    @Override
    public Health health() {
        try {
            backend.inspect("flotilla-health-probe");
            return Health.up().withDetail("backend", backend.type()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("backend", backend.type()).withDetail("error", e.getMessage()).build();
        }
    }
}

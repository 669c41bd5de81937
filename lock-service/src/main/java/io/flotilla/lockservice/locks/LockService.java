package io.flotilla.lockservice.locks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockListener;

import org.springframework.stereotype.Service;

/**
 * Owner-named locks on the configured backend. Unlike the thread-bound Java API there is no watchdog: a client
 * keeps its lock by renewing the lease, and loses it when it stops.
 */
@Service
public class LockService {

    private final LockBackend backend;
    private final LockListener listener;
    private final Clock clock;

    public LockService(LockBackend backend, LockListener listener, Clock clock) {
        this.backend = backend;
        this.listener = listener;
        this.clock = clock;
    }

    public LockResponse acquire(String name, AcquireRequest request) throws InterruptedException {
        LockRequests.name(name);
        String owner = LockRequests.owner(request.owner());
        Duration lease = LockRequests.lease(request.leaseMs());
        Duration wait = LockRequests.waitTime(request.waitMs());
        Instant requestedAt = clock.instant();
        long startedAt = System.nanoTime();
        Optional<LockBackend.Grant> grant = backend.acquire(name, owner, lease, wait);
        Duration latency = Duration.ofNanos(System.nanoTime() - startedAt);
        if (grant.isEmpty()) {
            listener.timedOut(backend.type(), latency);
            throw new LockConflictException("lock '" + name + "' is held by another owner"
                    + (wait.isZero() ? "" : " and was not released within " + wait.toMillis() + " ms"));
        }
        listener.acquired(backend.type(), latency, grant.get().waited());
        // The store started the lease after this request arrived, so this expiry errs early, never late.
        return new LockResponse(name, owner, grant.get().fencingToken(), requestedAt.plus(lease));
    }

    public LockResponse renew(String name, RenewRequest request) {
        LockRequests.name(name);
        String owner = LockRequests.owner(request.owner());
        Duration lease = LockRequests.lease(request.leaseMs());
        Instant requestedAt = clock.instant();
        if (!backend.renew(name, owner, lease)) {
            listener.leaseLost(backend.type(), name);
            throw notHeld(name, owner);
        }
        LockResponse current = inspect(name).filter(state -> state.owner().equals(owner))
            .orElseThrow(() -> notHeld(name, owner));
        return new LockResponse(name, owner, current.fencingToken(), requestedAt.plus(lease));
    }

    public void release(String name, String owner) {
        LockRequests.name(name);
        LockRequests.owner(owner);
        if (!backend.release(name, owner)) {
            throw notHeld(name, owner);
        }
    }

    public Optional<LockResponse> inspect(String name) {
        LockRequests.name(name);
        Instant now = clock.instant();
        return backend.inspect(name)
            .map(state -> new LockResponse(name, state.owner(), state.fencingToken(), now.plus(state.remainingLease())));
    }

    private static LockConflictException notHeld(String name, String owner) {
        return new LockConflictException("lock '" + name + "' is not held by owner '" + owner + "'");
    }
}

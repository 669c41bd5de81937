package io.flotilla.loadbalancer.core;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Passive health per instance, a circuit breaker per instance in the manner of Envoy's outlier detection:
 * after {@code consecutiveFailures} failed requests in a row an instance is ejected (its breaker opens) for
 * {@code ejectionDuration}, and the load balancers choose among the others. When the time is up the instance
 * is back on trial: one success closes its breaker, one more failure ejects it again.
 * <p>
 * Failures are what the request lifecycle reports (no connection, timeout, a 5xx answer), so it works for
 * any load-balanced client. Lock-free: a counter and a deadline per instance, and a version that moves
 * whenever an instance is ejected, so that callers caching the eligible instances know when to rebuild.
 */
public final class OutlierDetector {

    private static final OutlierDetector DISABLED = new OutlierDetector(Integer.MAX_VALUE, Duration.ZERO, System::nanoTime);

    private final int consecutiveFailures;
    private final long ejectionNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, Health> instances = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    /**
     * Detector ejecting an instance after {@code consecutiveFailures} failures in a row for
     * {@code ejectionDuration}, reading time from {@code nanoClock} ({@code System::nanoTime} outside tests).
     */
    public OutlierDetector(int consecutiveFailures, Duration ejectionDuration, LongSupplier nanoClock) {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 1, was " + consecutiveFailures);
        }
        if (ejectionDuration.isNegative()) {
            throw new IllegalArgumentException("ejectionDuration must not be negative, was " + ejectionDuration);
        }
        this.consecutiveFailures = consecutiveFailures;
        this.ejectionNanos = ejectionDuration.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Detector that never ejects anything. */
    public static OutlierDetector disabled() {
        return DISABLED;
    }

    /** Records a request to the instance that succeeded: its failure streak ends. */
    public void succeeded(String instanceKey) {
        Health health = instances.get(instanceKey);
        if (health != null && health.failures.get() != 0) {
            health.failures.set(0);
        }
    }

    /** Records a request to the instance that failed; the failure completing a streak ejects it. */
    public void failed(String instanceKey) {
        if (this == DISABLED) {
            return;
        }
        Health health = instances.computeIfAbsent(instanceKey, key -> new Health());
        int streak = health.failures.incrementAndGet();
        long now = nanoClock.getAsLong();
        // requests already in flight to an ejected instance keep failing; they must not extend its ejection
        if (streak >= consecutiveFailures && (health.ejections.get() == 0 || now - health.ejectedUntil >= 0)) {
            health.ejectedUntil = now + ejectionNanos;
            health.ejections.incrementAndGet();
            version.incrementAndGet();
        }
    }

    /** Whether the instance is ejected now. */
    public boolean isEjected(String instanceKey) {
        Health health = instances.get(instanceKey);
        return health != null && health.ejections.get() > 0 && health.ejectedUntil - nanoClock.getAsLong() > 0;
    }

    /**
     * Nanos (on this detector's clock) at which the instance's current ejection ends, or {@link Long#MIN_VALUE}
     * if it is not ejected.
     */
    public long ejectedUntil(String instanceKey) {
        Health health = instances.get(instanceKey);
        return health != null && isEjected(instanceKey) ? health.ejectedUntil : Long.MIN_VALUE;
    }

    /** Times the instance has been ejected so far. */
    public int ejections(String instanceKey) {
        Health health = instances.get(instanceKey);
        return health == null ? 0 : health.ejections.get();
    }

    /** Changes every time an instance is ejected. */
    public long version() {
        return version.get();
    }

    /** Current time on this detector's clock. */
    public long now() {
        return nanoClock.getAsLong();
    }

    /** Forgets every failure and ejection, for example after the instances were redeployed. */
    public void clear() {
        instances.clear();
        version.incrementAndGet();
    }

    private static final class Health {

        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicInteger ejections = new AtomicInteger();
        private volatile long ejectedUntil;
    }
}

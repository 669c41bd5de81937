package io.flotilla.lock.metrics;

import java.time.Duration;

import io.flotilla.lock.core.LockListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Lock meters, tagged with the backend: {@code flotilla.lock.acquire} (timer of acquisitions, tagged
 * {@code outcome=acquired|timeout}), {@code flotilla.lock.waits} (acquisitions that found the lock busy),
 * {@code flotilla.lock.timeouts} and {@code flotilla.lock.leases.lost} (holders that found their lease gone on
 * renewal or unlock). Lock names are not tags: they are often per entity ({@code order:42}) and would explode the
 * number of series.
 */
public final class LockMetrics implements LockListener {

    private final Timer acquired;
    private final Timer timedOut;
    private final Counter waits;
    private final Counter timeouts;
    private final Counter leasesLost;

    public LockMetrics(MeterRegistry registry, String backend) {
        this.acquired = timer(registry, backend, "acquired");
        this.timedOut = timer(registry, backend, "timeout");
        this.waits = Counter.builder("flotilla.lock.waits")
            .description("Acquisitions that found the lock held and waited for it")
            .tag("backend", backend)
            .register(registry);
        this.timeouts = Counter.builder("flotilla.lock.timeouts")
            .description("Acquisitions that gave up when their wait time ran out")
            .tag("backend", backend)
            .register(registry);
        this.leasesLost = Counter.builder("flotilla.lock.leases.lost")
            .description("Holds whose lease was gone when renewed or released")
            .tag("backend", backend)
            .register(registry);
    }

    private static Timer timer(MeterRegistry registry, String backend, String outcome) {
        return Timer.builder("flotilla.lock.acquire")
            .description("Time to acquire a lock, including waiting for it")
            .tags("backend", backend, "outcome", outcome)
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    }

    @Override
    public void acquired(String backend, Duration latency, boolean waited) {
        acquired.record(latency);
        if (waited) {
            waits.increment();
        }
    }

    @Override
    public void timedOut(String backend, Duration latency) {
        timedOut.record(latency);
        waits.increment();
        timeouts.increment();
    }

    @Override
    public void leaseLost(String backend, String lockName) {
        leasesLost.increment();
    }
}

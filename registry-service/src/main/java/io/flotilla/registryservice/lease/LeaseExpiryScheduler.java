package io.flotilla.registryservice.lease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Calls {@link LeaseTimers#expireDue()} at a fixed interval on its own thread while the application runs. */
public final class LeaseExpiryScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiryScheduler.class);

    private final LeaseTimers timers;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public LeaseExpiryScheduler(LeaseTimers timers, Duration interval) {
        this.timers = timers;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease-expiry");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::expire, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void expire() {
        try {
            int proposed = timers.expireDue();
            if (proposed > 0) {
                log.debug("Proposed expiry of {} leases", proposed);
            }
        } catch (RuntimeException e) {
            log.warn("Lease expiry pass failed; retrying at the next tick", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}

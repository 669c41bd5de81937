package io.flotilla.tx.xa;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs {@link XaRecovery} when the application starts (a restarted participant first resolves the branches it
 * left prepared) and then periodically (a rollback that overtook its branch's prepare leaves a prepared branch
 * nobody will call about again). Idle in applications without {@link XaBranch} methods.
 */
public final class XaRecoveryScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(XaRecoveryScheduler.class);

    private final XaRecovery recovery;
    private final Duration interval;
    private final BooleanSupplier hasXaBranches;
    private ScheduledExecutorService executor;

    public XaRecoveryScheduler(XaRecovery recovery, Duration interval, BooleanSupplier hasXaBranches) {
        this.recovery = recovery;
        this.interval = interval;
        this.hasXaBranches = hasXaBranches;
    }

    @Override
    public synchronized void start() {
        if (executor != null || !hasXaBranches.getAsBoolean()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flotilla-xa-recovery");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::recoverQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void recoverQuietly() {
        try {
            XaRecovery.Result result = recovery.recoverOnce();
            if (result.committed() + result.rolledBack() > 0) {
                log.info("XA recovery: {} committed, {} rolled back, {} still pending", result.committed(),
                        result.rolledBack(), result.pending());
            }
        } catch (RuntimeException e) {
            log.warn("XA recovery pass failed; trying again in {}", interval, e);
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

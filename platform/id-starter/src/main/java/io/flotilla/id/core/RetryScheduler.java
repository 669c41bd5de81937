package io.flotilla.id.core;

import java.time.Duration;

/**
 * Runs a task once after a delay: how a generator that lost its worker lease schedules its attempts to lease a
 * slot again. Injected so that tests drive the attempts on a virtual clock instead of sleeping.
 */
@FunctionalInterface
public interface RetryScheduler {

    /** Sleeps on a virtual thread of its own per task; a lease is lost rarely, so nothing is pooled. */
    RetryScheduler VIRTUAL_THREADS = (task, delay) -> Thread.ofVirtual().name("flotilla-id-lease").start(() -> {
        try {
            Thread.sleep(delay);
        }
        catch (InterruptedException ex) {
            return;
        }
        task.run();
    });

    /**
     * @param task what to run
     * @param delay how long to wait first (zero: run soon, but not in the caller's thread)
     */
    void schedule(Runnable task, Duration delay);
}

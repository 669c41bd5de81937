package io.flotilla.raft.server;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The kit's one background thread: the address publisher's and the liveness watcher's ticks. Its own class, not a
 * {@code ScheduledExecutorService} bean, so it never competes with a service's executors for injection by type.
 */
public final class RaftServerTasks implements AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    public RaftServerTasks() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "raft-server-tasks");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} every {@code interval}, the first time after {@code initialDelay}. */
    public void every(Duration interval, Duration initialDelay, Runnable task) {
        executor.scheduleWithFixedDelay(task, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

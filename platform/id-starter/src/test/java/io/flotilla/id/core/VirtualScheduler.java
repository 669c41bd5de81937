package io.flotilla.id.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Test scheduler on a {@link ManualClock}: tasks run only when the test moves time to them. */
final class VirtualScheduler implements RetryScheduler {

    private record Task(long dueAt, long order, Runnable action) {
    }

    private final ManualClock clock;

    private final List<Task> tasks = new ArrayList<>();

    private final List<Duration> delays = new ArrayList<>();

    private long scheduled;

    VirtualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
        delays.add(delay);
        tasks.add(new Task(clock.millis() + delay.toMillis(), scheduled++, task));
    }

    /** Runs every task due by now, including those they schedule for now. */
    void runDue() {
        for (Task task; (task = takeDue(clock.millis())) != null;) {
            task.action().run();
        }
    }

    /** Moves the clock to the earliest pending task (if it is in the future) and runs everything then due. */
    void advanceToNext() {
        Task next;
        synchronized (this) {
            next = tasks.stream().min(Comparator.comparingLong(Task::dueAt).thenComparingLong(Task::order))
                .orElseThrow(() -> new AssertionError("nothing scheduled"));
        }
        if (next.dueAt() > clock.millis()) {
            clock.set(next.dueAt());
        }
        runDue();
    }

    private synchronized Task takeDue(long now) {
        Task due = tasks.stream()
            .filter((task) -> task.dueAt() <= now)
            .min(Comparator.comparingLong(Task::dueAt).thenComparingLong(Task::order))
            .orElse(null);
        if (due != null) {
            tasks.remove(due);
        }
        return due;
    }

    synchronized int pending() {
        return tasks.size();
    }

    /** @return every delay asked for, in order */
    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }
}

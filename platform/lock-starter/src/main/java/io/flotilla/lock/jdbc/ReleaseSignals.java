package io.flotilla.lock.jdbc;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes this process's waiters on a lock when this process releases it, so that a hand-over between threads of one
 * process does not wait for the next poll. Waiters in other processes learn of a release by polling; a database
 * offers no portable notification.
 */
final class ReleaseSignals {

    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

    /** Registers a waiter on {@code name}; close the returned waiter when done. */
    Waiter join(String name) {
        Signal signal = signals.compute(name, (key, current) -> {
            Signal joined = current != null ? current : new Signal();
            joined.waiters++;
            return joined;
        });
        return new Waiter(name, signal);
    }

    /** One waiter of this process retries at once (one permit, so a release does not wake a herd). */
    void released(String name) {
        Signal signal = signals.get(name);
        if (signal != null) {
            signal.permits.release();
        }
    }

    private static final class Signal {
        private final Semaphore permits = new Semaphore(0);
        private int waiters;
    }

    final class Waiter implements AutoCloseable {

        private final String name;
        private final Signal signal;

        private Waiter(String name, Signal signal) {
            this.name = name;
            this.signal = signal;
        }

        /** Waits for a release by this process or for {@code timeout}, whichever comes first. */
        void await(Duration timeout) throws InterruptedException {
            signal.permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            signals.computeIfPresent(name, (key, current) -> --current.waiters == 0 ? null : current);
        }
    }
}

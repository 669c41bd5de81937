package io.flotilla.lock.core;

import java.time.Duration;

/**
 * Told about lock events, for metrics. Called on the acquiring thread or the watchdog thread, so implementations
 * must be quick and thread-safe.
 */
public interface LockListener {

    LockListener NONE = new LockListener() {
    };

    /** An acquisition succeeded after {@code latency}; {@code waited} when the lock was busy at first. */
    default void acquired(String backend, Duration latency, boolean waited) {
    }

    /** An acquisition gave up after waiting {@code latency}. */
    default void timedOut(String backend, Duration latency) {
    }

    /** A holder found its lease gone: a renewal or a release found someone else's value, or none. */
    default void leaseLost(String backend, String lockName) {
    }
}

package io.flotilla.id.core;

import java.util.concurrent.locks.LockSupport;

/**
 * Source of wall-clock milliseconds for the generator, and the way it waits for time to pass.
 * <p>
 * Injected so that tests can move time forwards and backwards without sleeping: a test clock
 * advances itself in {@link #pause(long)} instead of parking the thread.
 */
@FunctionalInterface
public interface MillisClock {

    /** The system wall clock ({@link System#currentTimeMillis()}), which is what snowflake ids encode. */
    MillisClock SYSTEM = System::currentTimeMillis;

    /**
     * Current time in milliseconds since 1970-01-01T00:00:00Z.
     *
     * @return the current time
     */
    long millis();

    /**
     * Lets time pass while the generator waits for {@code remainingMillis} more milliseconds to elapse.
     * Parks for longer waits and spins for the last millisecond, so a waiting thread wakes close to the
     * millisecond boundary.
     *
     * @param remainingMillis how far the clock still is from the awaited millisecond (at least 1)
     */
    default void pause(long remainingMillis) {
        if (remainingMillis > 1) {
            LockSupport.parkNanos((remainingMillis - 1) * 1_000_000L);
        }
        else {
            Thread.onSpinWait();
        }
    }
}

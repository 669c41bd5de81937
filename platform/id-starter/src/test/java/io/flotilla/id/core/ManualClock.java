package io.flotilla.id.core;

import java.util.concurrent.atomic.AtomicLong;

/** Test clock: time moves only when a test sets it or when the generator waits ({@link #pause} advances it). */
final class ManualClock implements MillisClock {

    private final AtomicLong now;

    private final AtomicLong pausedMillis = new AtomicLong();

    ManualClock(long startMillis) {
        this.now = new AtomicLong(startMillis);
    }

    @Override
    public long millis() {
        return now.get();
    }

    @Override
    public void pause(long remainingMillis) {
        pausedMillis.addAndGet(remainingMillis);
        now.addAndGet(remainingMillis);
    }

    void set(long millis) {
        now.set(millis);
    }

    void advance(long millis) {
        now.addAndGet(millis);
    }

    /** @return milliseconds the generator waited, in total */
    long pausedMillis() {
        return pausedMillis.get();
    }
}

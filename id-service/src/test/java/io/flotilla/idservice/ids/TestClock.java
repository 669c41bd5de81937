package io.flotilla.idservice.ids;

import java.util.concurrent.atomic.AtomicLong;

import io.flotilla.id.core.MillisClock;

/** Clock the tests move by hand; waiting advances it instead of sleeping. */
class TestClock implements MillisClock {

    private final AtomicLong now;

    TestClock(long startMillis) {
        this.now = new AtomicLong(startMillis);
    }

    @Override
    public long millis() {
        return now.get();
    }

    @Override
    public void pause(long remainingMillis) {
        now.addAndGet(remainingMillis);
    }

    void set(long millis) {
        now.set(millis);
    }
}

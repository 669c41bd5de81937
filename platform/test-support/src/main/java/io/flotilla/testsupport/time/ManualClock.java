package io.flotilla.testsupport.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} the test moves by hand, so that time-outs, TTLs and back-offs are tested without sleeping. It
 * reads a base clock plus an offset that only {@link #advance(Duration)} and {@link #set(Instant)} change:
 * {@link #at(Instant)} stands still until moved, {@link #ofSystemTime()} runs with real time (for code that also
 * needs time to pass by itself, such as a scheduler) and jumps when moved. Safe to read and move from any thread.
 */
public final class ManualClock extends Clock {

    private final Clock base;
    private final AtomicLong offsetMillis;

    private ManualClock(Clock base, AtomicLong offsetMillis) {
        this.base = base;
        this.offsetMillis = offsetMillis;
    }

    /** A clock that reads {@code start} until the test moves it. */
    public static ManualClock at(Instant start) {
        return new ManualClock(Clock.fixed(start, ZoneOffset.UTC), new AtomicLong());
    }

    /** A clock that follows the system clock (UTC) plus whatever the test has advanced it by. */
    public static ManualClock ofSystemTime() {
        return new ManualClock(Clock.systemUTC(), new AtomicLong());
    }

    /** Moves the clock forward by {@code step} (backward when negative, to test a clock stepping back). */
    public void advance(Duration step) {
        offsetMillis.addAndGet(step.toMillis());
    }

    /** Moves the clock so that it reads {@code now}. */
    public void set(Instant now) {
        offsetMillis.addAndGet(now.toEpochMilli() - millis());
    }

    @Override
    public long millis() {
        return base.millis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    /** The same clock seen in another zone: moving either moves both. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new ManualClock(base.withZone(zone), offsetMillis);
    }
}

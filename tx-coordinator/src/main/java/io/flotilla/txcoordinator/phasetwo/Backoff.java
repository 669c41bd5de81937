package io.flotilla.txcoordinator.phasetwo;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Capped exponential back-off with jitter: after {@code n} failed attempts the next call waits
 * {@code min(max, initial * 2^(n-1))}, drawn uniformly from its upper half so that participants recovering
 * from one outage are not hit by every branch at the same instant.
 * Unlike a fixed 1 s retry forever, or doubling from 10 s, a short blip costs milliseconds and a long outage
 * costs one call per {@code max} per branch.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = Objects.requireNonNull(random, "random");
        if (initialMillis < 1 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("back-off needs 1ms <= initial <= max, got " + initial + ", " + max);
        }
    }

    /** The capped delay after {@code failedAttempts} failures, before jitter (0 before the first attempt). */
    public long ceilingMillis(int failedAttempts) {
        if (failedAttempts <= 0) {
            return 0;
        }
        long delay = initialMillis;
        for (int i = 1; i < failedAttempts && delay < maxMillis; i++) {
            delay *= 2;
        }
        return Math.min(maxMillis, delay);
    }

    /** The jittered delay after {@code failedAttempts} failures: in [ceiling/2, ceiling]. */
    public long delayMillis(int failedAttempts) {
        long ceiling = ceilingMillis(failedAttempts);
        if (ceiling == 0) {
            return 0;
        }
        long half = ceiling / 2;
        return half + random.nextLong(ceiling - half + 1);
    }
}

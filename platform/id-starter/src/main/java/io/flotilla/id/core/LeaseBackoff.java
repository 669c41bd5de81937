package io.flotilla.id.core;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Capped exponential back-off with jitter between attempts to lease a worker slot again (the same rule as the
 * coordinator's phase-two retries): attempt {@code n} waits {@code min(max, initial * 2^(n-1))}, drawn uniformly
 * from its upper half, so that the instances of a fleet that lost their leases to one registry leader change do not
 * all ask the new leader at the same instant.
 */
final class LeaseBackoff {

    private final long initialMillis;

    private final long maxMillis;

    private final RandomGenerator random;

    LeaseBackoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = Objects.requireNonNull(random, "random");
        if (initialMillis < 1 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("lease back-off needs 1ms <= initial <= max, got " + initial + ", "
                    + max);
        }
    }

    /** @return the capped delay before attempt {@code attempt} (1 for the first), before jitter */
    long ceilingMillis(int attempt) {
        long delay = initialMillis;
        for (int i = 1; i < attempt && delay < maxMillis; i++) {
            delay *= 2;
        }
        return Math.min(maxMillis, delay);
    }

    /** @return the jittered delay before attempt {@code attempt}: in {@code [ceiling/2, ceiling]} */
    Duration delay(int attempt) {
        long ceiling = ceilingMillis(attempt);
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }
}

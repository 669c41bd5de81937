package io.flotilla.id.core;

import java.time.Duration;

/**
 * The wall clock is further behind the last issued timestamp than the generator may wait out. Issuing now could
 * only repeat earlier ids, so the generator refuses until the clock has caught up.
 */
public class ClockMovedBackwardsException extends IdGenerationException {

    private final long backwardMillis;

    /**
     * @param backwardMillis how far the clock is behind the last issued (or reserved) timestamp
     * @param maxBackwardMillis largest step the generator waits out
     */
    public ClockMovedBackwardsException(long backwardMillis, long maxBackwardMillis) {
        super("Clock moved backwards by " + backwardMillis + " ms, more than the " + maxBackwardMillis
                + " ms the generator waits out; refusing to issue ids until the clock catches up");
        this.backwardMillis = backwardMillis;
    }

    /** @return how far the clock is behind the last issued timestamp, in milliseconds */
    public long backwardMillis() {
        return backwardMillis;
    }

    /** @return how long until the clock has caught up, if it runs normally from now */
    @Override
    public Duration retryAfter() {
        return Duration.ofMillis(backwardMillis + 1);
    }
}

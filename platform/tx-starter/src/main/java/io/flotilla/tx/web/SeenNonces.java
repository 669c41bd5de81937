package io.flotilla.tx.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nonces of the signed calls this participant accepted, each kept until its call would be refused as stale
 * anyway, so a captured call cannot be replayed here within its time window. Only calls with a valid signature
 * reach it, so its size is bounded by the coordinator's own call rate.
 */
final class SeenNonces {

    private static final int PURGE_EVERY = 1024;

    private final Map<String, Long> expiryByNonce = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration keepFor;
    private int additionsSincePurge;

    SeenNonces(Clock clock, Duration keepFor) {
        this.clock = clock;
        this.keepFor = keepFor;
    }

    /** Records the nonce; false when it was seen before (a replay). */
    boolean firstUse(String nonce) {
        long now = clock.millis();
        Long previous = expiryByNonce.putIfAbsent(nonce, now + keepFor.toMillis());
        if (previous != null && previous > now) {
            return false;
        }
        if (previous != null) {
            expiryByNonce.put(nonce, now + keepFor.toMillis());
        }
        purgeNowAndThen(now);
        return true;
    }

    private synchronized void purgeNowAndThen(long now) {
        if (++additionsSincePurge >= PURGE_EVERY) {
            additionsSincePurge = 0;
            expiryByNonce.values().removeIf(expiry -> expiry <= now);
        }
    }
}

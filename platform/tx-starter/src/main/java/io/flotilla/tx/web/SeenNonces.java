package io.flotilla.tx.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Nonces of the signed calls this participant accepted, each kept until its call would be refused as stale
 * anyway, so a captured call cannot be replayed here within its time window. Only calls with a valid signature
 * reach it, so its size is bounded by the coordinator's own call rate over that window.
 *
 * <p>The nonces also wait in a queue in the order they were accepted, which is the order they expire in (every one
 * is kept equally long), so each call drops the expired ones from the queue's head: a little work per call instead
 * of a scan of every nonce held (10 minutes of calls) every so often, which was 3 % of a participant's CPU under
 * load. Should the clock step back, a later nonce may expire before an earlier one and wait for it: kept too long,
 * never too short.
 */
final class SeenNonces {

    private record Accepted(String nonce, long expiresAt) {
    }

    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final Queue<Accepted> byExpiry = new ConcurrentLinkedQueue<>();
    private final Clock clock;
    private final long keepForMillis;

    SeenNonces(Clock clock, Duration keepFor) {
        this.clock = clock;
        this.keepForMillis = keepFor.toMillis();
    }

    /** Records the nonce; false when it was seen within its window before (a replay). */
    boolean firstUse(String nonce) {
        long now = clock.millis();
        dropExpired(now);
        if (!nonces.add(nonce)) {
            return false;
        }
        byExpiry.add(new Accepted(nonce, now + keepForMillis));
        return true;
    }

    private void dropExpired(long now) {
        for (Accepted oldest = byExpiry.peek(); oldest != null && oldest.expiresAt() <= now; oldest = byExpiry.peek()) {
            // Only the thread that takes the head out forgets its nonce, so a nonce is forgotten once.
            if (byExpiry.remove(oldest)) {
                nonces.remove(oldest.nonce());
            }
        }
    }

    /** How many nonces are held (for tests). */
    int size() {
        return nonces.size();
    }
}

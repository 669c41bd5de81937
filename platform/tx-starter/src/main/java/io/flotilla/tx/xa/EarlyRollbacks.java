package io.flotilla.tx.xa;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Branches whose rollback found nothing to roll back: their prepare had not happened yet. The initiator gives up on
 * a slow branch call (read timeout) and rolls the transaction back while the branch's work is still waiting, say,
 * for a row lock; when that work then prepares, nobody will call about the branch again, and until the next
 * recovery pass it holds its locks, which on a hot row stalls every later branch. With the rollback remembered
 * here, the prepare rolls its branch back at once instead (the XA counterpart of the TCC fence's anti-suspension).
 * <p>
 * A mark is set before the rollback looks for the branch, so a prepare that runs after the look always finds it;
 * marks of branches that never prepare are forgotten after {@link #KEPT_FOR}.
 */
final class EarlyRollbacks {

    /** Longer than any branch call waits for a lock or the initiator's transaction timeout. */
    static final Duration KEPT_FOR = Duration.ofMinutes(10);

    private static final int SWEEP_ABOVE = 1024;

    private final Map<FlotillaXid, Long> markedAtNanos = new ConcurrentHashMap<>();

    void mark(FlotillaXid branch) {
        long now = System.nanoTime();
        if (markedAtNanos.size() > SWEEP_ABOVE) {
            markedAtNanos.values().removeIf(markedAt -> now - markedAt > KEPT_FOR.toNanos());
        }
        markedAtNanos.put(branch, now);
    }

    void clear(FlotillaXid branch) {
        markedAtNanos.remove(branch);
    }

    /** Whether the branch's rollback came first; forgets the mark. */
    boolean consume(FlotillaXid branch) {
        return markedAtNanos.remove(branch) != null;
    }
}

package io.flotilla.txcoordinator.phasetwo;

import java.net.URI;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Branches waiting out a phase-two back-off, by the participant they wait for, so that a participant that answers
 * again gets its waiting branches at once instead of each at the end of its own back-off (up to
 * {@code flotilla.coordinator.phase-two.max-backoff}, 30 s by default: meanwhile an XA branch it prepared keeps its
 * rows locked).
 *
 * <p>A waiting branch runs its next attempt exactly once: either its back-off timer fires or an acknowledged call to
 * its participant wakes it, whichever {@linkplain #claim claims} it first. Each acknowledged call wakes at most
 * {@value #WOKEN_PER_ACKNOWLEDGED_CALL} branches, so a participant back from an outage gets its backlog in a ramp
 * that doubles with each round of its own answers, not as one burst; a participant that is still down wakes nothing
 * and its branches keep their back-off.
 *
 * <p>A participant is told apart by its origin (scheme, host and port): confirm, cancel and batch URLs of one
 * participant share it. Two participants behind one origin (a proxy routing by path) wake each other's branches,
 * which costs an early attempt at most: a failed one waits out its back-off again.
 */
final class WaitingBranches {

    /** Woken per acknowledged call: each round of answers doubles the calls in flight to a recovering participant. */
    static final int WOKEN_PER_ACKNOWLEDGED_CALL = 2;

    /** One wait of one branch; identity matters: a later wait of the same branch is another instance. */
    private static final class Waiting {
        final String origin;
        final Runnable attempt;

        Waiting(String origin, Runnable attempt) {
            this.origin = origin;
            this.attempt = attempt;
        }
    }

    private final Map<Long, Waiting> byBranch = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> byOrigin = new ConcurrentHashMap<>();

    /**
     * Records that {@code branchId} waits for the participant at {@code url}, and returns the task its back-off timer
     * must run: it runs {@code attempt} unless a wake-up claimed this wait first.
     */
    Runnable park(long branchId, String url, Runnable attempt) {
        Waiting waiting = new Waiting(origin(url), attempt);
        byBranch.put(branchId, waiting);
        byOrigin.computeIfAbsent(waiting.origin, key -> ConcurrentHashMap.newKeySet()).add(branchId);
        return () -> {
            if (claim(branchId, waiting)) {
                attempt.run();
            }
        };
    }

    /**
     * Called when {@code url}'s participant acknowledged {@code acknowledged} calls: hands up to twice as many of the
     * branches waiting for it to {@code runNow}, each claimed so that its timer will not run it again.
     */
    void wake(String url, int acknowledged, Consumer<Runnable> runNow) {
        if (byBranch.isEmpty() || acknowledged <= 0) {
            return;  // the usual case: nothing is backing off; no URL is parsed on the success path
        }
        Set<Long> waitingHere = byOrigin.get(origin(url));
        if (waitingHere == null) {
            return;
        }
        int budget = acknowledged * WOKEN_PER_ACKNOWLEDGED_CALL;
        for (Iterator<Long> ids = waitingHere.iterator(); ids.hasNext() && budget > 0; ) {
            Long branchId = ids.next();
            Waiting waiting = byBranch.get(branchId);
            if (waiting != null && claim(branchId, waiting)) {
                runNow.accept(waiting.attempt);
                budget--;
            }
        }
    }

    /** Forgets every wait (leadership moved: the new term schedules its own; old timers then find nothing). */
    void clear() {
        byBranch.clear();
        byOrigin.clear();
    }

    /** Branches waiting now (for tests and diagnostics). */
    int size() {
        return byBranch.size();
    }

    private boolean claim(long branchId, Waiting waiting) {
        if (!byBranch.remove(branchId, waiting)) {
            return false;
        }
        Set<Long> waitingHere = byOrigin.get(waiting.origin);
        if (waitingHere != null) {
            waitingHere.remove(branchId);
        }
        return true;
    }

    /** {@code scheme://host:port} of a URL; the URL itself when it cannot be read (it then only matches itself). */
    static String origin(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() == null || uri.getRawAuthority() == null ? url
                    : uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
        } catch (IllegalArgumentException unreadable) {
            return url;
        }
    }
}

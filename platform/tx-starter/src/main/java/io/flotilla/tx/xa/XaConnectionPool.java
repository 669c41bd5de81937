package io.flotilla.tx.xa;

import javax.sql.XAConnection;
import javax.sql.XADataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The physical XA connections of one {@link XaResourceManager}: opening one per branch (and another for its phase
 * two) cost a PostgreSQL backend fork and a MariaDB handshake every time, a fifth of a participant's CPU.
 *
 * <p>A connection is <em>lent</em> for one job (a branch's work, a phase-two call, a recovery scan) and then given
 * back (idle, reused most recently used first), discarded (closed: it failed), or <em>held</em> for its prepared
 * branch until that branch's phase two takes it ({@link #hold}, {@link #takeHeld}). At most {@code maxSize}
 * connections are lent to branch work, and at most {@code phaseTwoSize} to phase two and recovery; a borrower past
 * its bound waits up to {@code acquireTimeout} for one of its own kind to come back. Idle connections serve either
 * kind, and at most {@code maxSize + phaseTwoSize} are idle or lent: one given back beyond that is closed.
 *
 * <p>Phase two and recovery have connections of their own because a prepared branch keeps its row locks until its
 * phase two, and the branch work that would have to give a connection back may be the one waiting for those locks:
 * they never wait for branch work, only for each other, and their calls ({@code COMMIT PREPARED}, {@code XA
 * COMMIT}, {@code XA RECOVER}) wait for no lock. Until #19 they took "one more" connection when nothing was idle and
 * closed it when giving it back to a full pool: at 32 clients against a {@code max-size} of 16 a PostgreSQL
 * participant opened and closed a session (a backend fork) for nearly every phase-two call of a batch. Now a batch
 * of phase-two calls shares the {@code phaseTwoSize} connections, which stay open, one call after the other on each.
 *
 * <p>Held connections are outside these bounds. Where the database ties a prepared branch to its session (MariaDB),
 * a participant under load has a held connection for every branch awaiting its phase two, and the coordinator
 * answers the initiator before phase two, so the initiator's next branches arrive while the last ones are still
 * held: counting them made new branches wait for phase two, or close a held connection, whose phase two must then
 * wait for the server to end the session (MariaDB's "try again") with the branch's row locks still taken. So a held
 * connection is closed only when held longer than {@code heldTimeout} (far longer than a phase two takes), when
 * more than {@code maxHeld} are held (the longest-held one), or at {@link #close}; its branch stays prepared in the
 * database for its phase two or recovery. Where closing would roll the branch back (H2: not closable), a branch
 * waits instead while {@code maxHeld} such connections are held. A phase two that takes its held connection back
 * never waits; given back, that connection becomes idle for the next branch unless the pool is full.
 *
 * <p>Connections idle longer than {@code idleTimeout}, and closable ones held longer than {@code heldTimeout}, are
 * closed when the pool is next used (at the latest by the next recovery pass, which scans on a pooled connection).
 */
public final class XaConnectionPool implements AutoCloseable {

    /** Idle for longer than this, a connection is checked ({@link java.sql.Connection#isValid}) before reuse. */
    static final Duration VALIDATE_AFTER = Duration.ofSeconds(1);

    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    /** Pool settings; see {@code flotilla.tx.xa.pool.*}. */
    public record Settings(int maxSize, Duration idleTimeout, Duration acquireTimeout, int maxHeld,
            Duration heldTimeout, int phaseTwoSize) {

        public static final Settings DEFAULTS = new Settings(10, Duration.ofMinutes(1), Duration.ofSeconds(30), 64,
                Duration.ofSeconds(30), 2);

        public Settings {
            if (maxSize < 1) {
                throw new IllegalArgumentException("XA pool max-size must be at least 1, got " + maxSize);
            }
            if (maxHeld < 1) {
                throw new IllegalArgumentException("XA pool max-held must be at least 1, got " + maxHeld);
            }
            if (phaseTwoSize < 1) {
                throw new IllegalArgumentException("XA pool phase-two-size must be at least 1, got " + phaseTwoSize);
            }
            Objects.requireNonNull(idleTimeout);
            Objects.requireNonNull(acquireTimeout);
            Objects.requireNonNull(heldTimeout);
        }
    }

    /** What a lent connection does, so which bound it counts against. */
    private enum Use {
        /** A branch's work, up to {@code maxSize}. */
        BRANCH,
        /** Phase two or a recovery scan on a pooled connection, up to {@code phaseTwoSize}. */
        PHASE_TWO,
        /** Phase two on the connection held for its branch: open already, so under no bound. */
        HELD_PHASE_TWO
    }

    private record Idle(XAConnection connection, Instant since) {
    }

    private record Held(XAConnection connection, boolean closable, Instant since) {
    }

    private final XADataSource dataSource;
    private final Settings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Most recently given back first, so the least used ones age out. */
    private final Deque<Idle> idle = new ArrayDeque<>();
    /** Oldest first. */
    private final Map<FlotillaXid, Held> held = new LinkedHashMap<>();
    /** Lent connections and what for (by identity: a driver's connection need not define equality). */
    private final Map<XAConnection, Use> lent = new IdentityHashMap<>();
    /** Held connections that cannot be closed early (H2); bounded by {@code maxHeld} through {@link #lend}. */
    private int unclosableHeld;
    /** Connections lent to branch work, and being opened for it; at most {@code maxSize}. */
    private int atBranchWork;
    /** Connections lent to phase two and recovery, and being opened for them; at most {@code phaseTwoSize}. */
    private int atPhaseTwo;
    /** Connections taken from the held ones by their branch's phase two, not given back yet; under no bound. */
    private int atHeldPhaseTwo;
    /**
     * Idle and lent connections and those being opened, not the held ones; above {@code maxSize + phaseTwoSize}
     * only by the connections phase two took from the held ones.
     */
    private int open;
    private boolean closed;

    XaConnectionPool(XADataSource dataSource, Settings settings, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A connection for a branch's work: idle, or new while fewer than {@code maxSize} work, else waits. */
    XAConnection lend() {
        return lend(Use.BRANCH);
    }

    /**
     * A connection for phase two or recovery: idle, or new while fewer than {@code phaseTwoSize} are in that use,
     * else waits for one of those (never for branch work; see the class comment).
     */
    XAConnection lendForPhaseTwo() {
        return lend(Use.PHASE_TWO);
    }

    private XAConnection lend(Use use) {
        long deadline = System.nanoTime() + settings.acquireTimeout().toNanos();
        while (true) {
            Idle reused = null;
            boolean counted = false;
            List<XAConnection> expired;
            lock.lock();
            try {
                while (true) {
                    ensureOpen();
                    expired = takeExpired();
                    if (!expired.isEmpty()) {
                        break; // closed outside the lock, then the pool is looked at again
                    }
                    String busy = busy(use);
                    if (busy == null) {
                        count(use, 1);
                        counted = true;
                        reused = idle.pollFirst();
                        if (reused == null) {
                            open++;
                        } else {
                            lent.put(reused.connection(), use);
                        }
                        break;
                    }
                    long now = System.nanoTime();
                    if (now - deadline >= 0) {
                        throw new XaBranchException("no XA connection became free within "
                                + settings.acquireTimeout() + ": " + busy, null);
                    }
                    changed.awaitNanos(deadline - now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new XaBranchException("interrupted while waiting for an XA connection", e);
            } finally {
                lock.unlock();
            }
            expired.forEach(XaConnectionPool::closeQuietly);
            if (!counted) {
                continue;
            }
            if (reused == null) {
                return openCounted(use);
            }
            if (stillUsable(reused)) {
                return reused.connection();
            }
            discard(reused.connection());
        }
    }

    /** Called with the lock held: why a borrower of this use cannot have a connection now, or {@code null}. */
    private String busy(Use use) {
        if (use == Use.PHASE_TWO) {
            return atPhaseTwo < settings.phaseTwoSize() ? null : "all " + settings.phaseTwoSize()
                    + " for phase two and recovery (flotilla.tx.xa.pool.phase-two-size) are in use";
        }
        if (atBranchWork >= settings.maxSize()) {
            return "all " + settings.maxSize() + " (flotilla.tx.xa.pool.max-size) are in use";
        }
        if (unclosableHeld >= settings.maxHeld()) {
            return unclosableHeld + " hold prepared branches that closing would roll back, awaiting their phase "
                    + "two (flotilla.tx.xa.pool.max-held)";
        }
        return null;
    }

    /** Called with the lock held. */
    private void count(Use use, int delta) {
        switch (use) {
            case BRANCH -> atBranchWork += delta;
            case PHASE_TWO -> atPhaseTwo += delta;
            case HELD_PHASE_TWO -> atHeldPhaseTwo += delta;
        }
    }

    /** Called with the lock held: a lent connection is no longer lent; its borrower's bound has room again. */
    private void unlend(XAConnection connection) {
        Use use = lent.remove(connection);
        if (use != null) {
            count(use, -1);
        }
        changed.signalAll();
    }

    /** Takes back a lent connection that did its job and whose session is free for the next one. */
    void giveBack(XAConnection connection) {
        boolean close;
        List<XAConnection> expired;
        lock.lock();
        try {
            unlend(connection);
            // Connections still at the phase two of their held branch are not counted: when they come back, they
            // are the ones closed if the pool is full, not the phase-two connections returning before them.
            close = closed || open - atHeldPhaseTwo > settings.maxSize() + settings.phaseTwoSize();
            if (close) {
                open--;
            } else {
                idle.addFirst(new Idle(connection, clock.instant()));
            }
            expired = takeExpired();
        } finally {
            lock.unlock();
        }
        expired.forEach(XaConnectionPool::closeQuietly);
        if (close) {
            closeQuietly(connection);
        }
    }

    /** Closes a lent connection that failed or whose state is unknown: it must not serve another branch. */
    void discard(XAConnection connection) {
        lock.lock();
        try {
            unlend(connection);
            open--;
        } finally {
            lock.unlock();
        }
        closeQuietly(connection);
    }

    /**
     * Keeps a lent connection for the branch prepared on it until {@link #takeHeld} takes it back; it no longer
     * counts against {@code maxSize}. A {@code closable} one may be closed (past {@code heldTimeout}, beyond
     * {@code maxHeld}), which the database must survive with the branch prepared; one that is not is never closed
     * before its phase two, and new branches wait while {@code maxHeld} of those are held.
     */
    void hold(FlotillaXid branch, XAConnection connection, boolean closable) {
        XAConnection evicted = null;
        lock.lock();
        try {
            unlend(connection);
            open--;
            if (closed) {
                evicted = connection;
            } else {
                held.put(branch, new Held(connection, closable, clock.instant()));
                if (!closable) {
                    unclosableHeld++;
                } else if (held.size() - unclosableHeld > settings.maxHeld()) {
                    evicted = takeLongestHeld();
                }
            }
        } finally {
            lock.unlock();
        }
        closeQuietly(evicted);
    }

    /** The connection held for this branch, now lent to the caller; {@code null} when none is held for it. */
    XAConnection takeHeld(FlotillaXid branch) {
        lock.lock();
        try {
            Held taken = held.remove(branch);
            if (taken == null) {
                return null;
            }
            // Lent to its phase two, which never waits for it: possibly above the bound until given back.
            open++;
            count(Use.HELD_PHASE_TWO, 1);
            lent.put(taken.connection(), Use.HELD_PHASE_TWO);
            if (!taken.closable()) {
                unclosableHeld--;
                changed.signalAll();
            }
            return taken.connection();
        } finally {
            lock.unlock();
        }
    }

    /** Closes idle and held connections; lent ones are closed when given back. */
    @Override
    public void close() {
        List<XAConnection> toClose = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            idle.forEach(entry -> toClose.add(entry.connection()));
            open -= idle.size();
            held.values().forEach(entry -> toClose.add(entry.connection()));
            idle.clear();
            held.clear();
            unclosableHeld = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        toClose.forEach(XaConnectionPool::closeQuietly);
    }

    private void ensureOpen() {
        if (closed) {
            throw new XaBranchException("the XA connection pool is closed (the application is shutting down)", null);
        }
    }

    /**
     * Called with the lock held: removes the idle connections past the idle timeout (the oldest are last) and the
     * closable held ones past the held timeout (the oldest are first), to be closed outside the lock.
     */
    private List<XAConnection> takeExpired() {
        Instant now = clock.instant();
        Instant idleCutoff = now.minus(settings.idleTimeout());
        List<XAConnection> expired = new ArrayList<>();
        while (!idle.isEmpty() && idle.peekLast().since().isBefore(idleCutoff)) {
            expired.add(idle.pollLast().connection());
            open--;
        }
        Instant heldCutoff = now.minus(settings.heldTimeout());
        Iterator<Held> entries = held.values().iterator();
        while (entries.hasNext()) {
            Held entry = entries.next();
            if (!entry.since().isBefore(heldCutoff)) {
                break;
            }
            if (entry.closable()) {
                entries.remove();
                expired.add(entry.connection());
            }
        }
        return expired;
    }

    /**
     * Whether an idle connection can serve again: one idle for a moment is taken as it is; one idle for longer is
     * asked ({@code isValid}), since the server may have ended its session meanwhile (a restart, a timeout).
     */
    private boolean stillUsable(Idle entry) {
        if (Duration.between(entry.since(), clock.instant()).compareTo(VALIDATE_AFTER) < 0) {
            return true;
        }
        try {
            return entry.connection().getConnection().isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Called with the lock held. */
    private XAConnection takeLongestHeld() {
        Iterator<Held> entries = held.values().iterator();
        while (entries.hasNext()) {
            Held entry = entries.next();
            if (entry.closable()) {
                entries.remove();
                return entry.connection();
            }
        }
        return null;
    }

    /** Opens a physical connection already counted in {@link #open} and against the bound of its use. */
    private XAConnection openCounted(Use use) {
        XAConnection opened;
        try {
            opened = dataSource.getXAConnection();
        } catch (SQLException e) {
            lock.lock();
            try {
                open--;
                count(use, -1);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            throw new XaBranchException("cannot open an XA connection: " + e.getMessage(), e);
        }
        lock.lock();
        try {
            lent.put(opened, use);
        } finally {
            lock.unlock();
        }
        return opened;
    }

    static void closeQuietly(XAConnection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing after the branch was prepared or finished: the database keeps the outcome either way.
            }
        }
    }
}

package io.flotilla.tx.xa;

import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * XA branches on one {@link XADataSource} (PostgreSQL's {@code PGXADataSource}, MariaDB's
 * {@code MariaDbDataSource}, H2's {@code JdbcDataSource}), Spring-free, on a small pool of physical XA connections
 * ({@link XaConnectionPool}) that serves branch work, phase two and recovery alike.
 *
 * <p>A prepared branch lives in the database, not in the connection, so commit and rollback (phase two, or recovery
 * after a crash) can name the branch by its xid on any connection. Both are idempotent: a branch the database no
 * longer knows ({@code XAER_NOTA}) has already been finished. What the connection that prepared a branch may do
 * next depends on the database ({@link PreparedBranches}): PostgreSQL's goes straight back to the pool; MariaDB's
 * is held for the branch until its phase two, which then runs on it; H2's too, and there a prepared branch does
 * not survive this process (development use only).
 */
public final class XaResourceManager implements AutoCloseable {

    /** What the database does with a prepared branch and the session that prepared it. */
    enum PreparedBranches {
        /**
         * PostgreSQL: {@code PREPARE TRANSACTION} detaches the branch from the session, which is free for the next
         * branch at once; phase two runs on any connection.
         */
        DETACHED,
        /**
         * MariaDB (and any database not known here): the branch stays attached to the session that prepared it
         * until that session ends, and the session can start no other branch meanwhile; {@code XA COMMIT} from
         * another session answers {@code XAER_NOTA} ("try again") until then. So the connection is held for the
         * branch and its phase two runs on it; held far longer than a phase two takes (or beyond the pool's bound for
         * held connections) it is closed instead, which ends the session and leaves the branch prepared in the
         * database (recovery relies on that too).
         */
        ATTACHED,
        /** H2: a prepared branch is rolled back when its session ends, so its connection is held and never closed early. */
        DIE_WITH_SESSION;

        static PreparedBranches of(XADataSource dataSource) {
            String type = dataSource.getClass().getName();
            if (type.startsWith("org.postgresql.")) {
                return DETACHED;
            }
            return type.startsWith("org.h2.") ? DIE_WITH_SESSION : ATTACHED;
        }
    }

    private final String tag;
    private final PreparedBranches preparedBranches;
    private final XaConnectionPool pool;
    private final EarlyRollbacks earlyRollbacks = new EarlyRollbacks();

    /**
     * @param tag recovery tag written into every branch qualifier; recovery only touches branches with this tag,
     *            so give each participant application its own (its name, by default)
     */
    public XaResourceManager(XADataSource dataSource, String tag) {
        this(dataSource, tag, XaConnectionPool.Settings.DEFAULTS, Clock.systemUTC());
    }

    /**
     * @param pool  bounds of the physical XA connections this manager keeps ({@code flotilla.tx.xa.pool.*})
     * @param clock what idle times are read from
     */
    public XaResourceManager(XADataSource dataSource, String tag, XaConnectionPool.Settings pool, Clock clock) {
        this(dataSource, PreparedBranches.of(dataSource), tag, pool, clock);
    }

    /** With what the database does with prepared branches named, for a data source wrapping the driver's (tests). */
    XaResourceManager(XADataSource dataSource, PreparedBranches preparedBranches, String tag,
            XaConnectionPool.Settings pool, Clock clock) {
        this.tag = Objects.requireNonNull(tag);
        this.preparedBranches = Objects.requireNonNull(preparedBranches);
        this.pool = new XaConnectionPool(dataSource, pool, clock);
    }

    public String tag() {
        return tag;
    }

    /** Starts the branch on a pooled XA connection; the caller runs its work on {@link OpenBranch#connection()}. */
    public OpenBranch start(String xid, String branchId) {
        FlotillaXid branch = new FlotillaXid(xid, branchId, tag);
        XAConnection xaConnection = pool.lend();
        try {
            // A fresh handle before START: a pooled connection's previous handle is closed by the driver.
            Connection connection = xaConnection.getConnection();
            XAResource resource = xaConnection.getXAResource();
            resource.start(branch, XAResource.TMNOFLAGS);
            return new OpenBranch(this, branch, xaConnection, resource, connection);
        } catch (SQLException | XAException e) {
            pool.discard(xaConnection);
            throw new XaBranchException("cannot start XA branch " + describe(branch) + ": " + detail(e), e);
        }
    }

    /** Commits a prepared branch; returns {@code false} when the database no longer knows it (already finished). */
    public boolean commit(String xid, String branchId) {
        return finish(new FlotillaXid(xid, branchId, tag), true);
    }

    /** Rolls a branch back; returns {@code false} when the database does not know it (never prepared, or finished). */
    public boolean rollback(String xid, String branchId) {
        return finish(new FlotillaXid(xid, branchId, tag), false);
    }

    boolean finish(FlotillaXid branch, boolean commit) {
        if (commit) {
            return finishNow(branch, true);
        }
        earlyRollbacks.mark(branch);
        boolean rolledBack = finishNow(branch, false);
        if (rolledBack) {
            earlyRollbacks.clear(branch);
        }
        return rolledBack;
    }

    private boolean finishNow(FlotillaXid branch, boolean commit) {
        XAConnection xaConnection = pool.takeHeld(branch);
        if (xaConnection == null && preparedBranches == PreparedBranches.DIE_WITH_SESSION) {
            return false; // finished already, or lost with its connection: H2 has nothing to name
        }
        if (xaConnection == null) {
            xaConnection = pool.lendForPhaseTwo();
        }
        boolean answered = false;
        try {
            XAResource resource = xaConnection.getXAResource();
            try {
                if (commit) {
                    resource.commit(branch, false);
                } else {
                    resource.rollback(branch);
                }
                answered = true;
                return true;
            } catch (XAException e) {
                return switch (e.errorCode) {
                    case XAException.XAER_NOTA -> {
                        boolean stillPrepared = stillPrepared(resource, branch);
                        answered = true;
                        if (stillPrepared) {
                            throw new XaBranchException("XA branch " + describe(branch) + " is prepared but still "
                                    + "attached to the session that prepared it; try again", e);
                        }
                        yield false;
                    }
                    // The database already finished the branch the same way on its own: forget it and succeed.
                    case XAException.XA_HEURCOM, XAException.XA_HEURRB -> {
                        if ((e.errorCode == XAException.XA_HEURCOM) != commit) {
                            throw e;
                        }
                        resource.forget(branch);
                        answered = true;
                        yield true;
                    }
                    default -> throw e;
                };
            }
        } catch (SQLException | XAException e) {
            throw new XaBranchException("cannot " + (commit ? "commit" : "roll back") + " XA branch " + describe(branch)
                    + ": " + detail(e), e);
        } finally {
            release(xaConnection, answered);
        }
    }

    /** A connection whose last call the database answered goes back to the pool; one that failed is closed. */
    private void release(XAConnection xaConnection, boolean answered) {
        if (answered) {
            pool.giveBack(xaConnection);
        } else {
            pool.discard(xaConnection);
        }
    }

    /**
     * Whether the database still lists the branch as prepared after refusing to finish it as unknown
     * ({@code XAER_NOTA}). MariaDB answers so while the session that prepared the branch has not ended yet: closing a
     * connection does not wait for the server to end its session, so a phase-two call can arrive first. Reading that
     * answer as "already finished" would acknowledge a commit that was not made (the branch would stay prepared until
     * recovery); the caller is told to try again instead.
     */
    private static boolean stillPrepared(XAResource resource, FlotillaXid branch) throws XAException {
        for (Xid xid : preparedBranches(resource)) {
            if (branch.sameAs(xid)) {
                return true;
            }
        }
        return false;
    }

    /** Every prepared branch the database lists ({@code XA RECOVER}), anyone's; never {@code null}. */
    private static Xid[] preparedBranches(XAResource resource) throws XAException {
        Xid[] found = resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        return found == null ? new Xid[0] : found;
    }

    /** The prepared (in-doubt) branches carrying this manager's tag. */
    public List<FlotillaXid> recover() {
        XAConnection xaConnection = pool.lendForPhaseTwo();
        boolean answered = false;
        try {
            List<FlotillaXid> own = new ArrayList<>();
            for (Xid xid : preparedBranches(xaConnection.getXAResource())) {
                FlotillaXid branch = FlotillaXid.from(xid);
                if (branch != null && branch.tag().equals(tag)) {
                    own.add(branch);
                }
            }
            answered = true;
            return own;
        } catch (SQLException | XAException e) {
            throw new XaBranchException("XA RECOVER failed: " + detail(e), e);
        } finally {
            release(xaConnection, answered);
        }
    }

    /**
     * Closes the pooled connections. Branches still held for their phase two stay prepared in the database
     * (except on H2) and are finished by that phase two or by recovery, as after a crash.
     */
    @Override
    public void close() {
        pool.close();
    }

    private static String describe(FlotillaXid branch) {
        return branch.xid() + "/" + branch.branchId();
    }

    static String detail(Exception e) {
        if (e instanceof XAException xa) {
            return "XA error " + xa.errorCode + (xa.getMessage() == null ? "" : " (" + xa.getMessage() + ")")
                    + (xa.getCause() == null ? "" : ": " + xa.getCause().getMessage());
        }
        return e.getMessage();
    }

    /** A started branch: run work on {@link #connection()}, then {@link #prepare()} or {@link #abandon()}. */
    public static final class OpenBranch {

        private final XaResourceManager manager;
        private final FlotillaXid xid;
        private final XAConnection xaConnection;
        private final XAResource resource;
        private final Connection connection;

        OpenBranch(XaResourceManager manager, FlotillaXid xid, XAConnection xaConnection, XAResource resource,
                Connection connection) {
            this.manager = manager;
            this.xid = xid;
            this.xaConnection = xaConnection;
            this.resource = resource;
            this.connection = connection;
        }

        public FlotillaXid xid() {
            return xid;
        }

        /** The connection whose work belongs to the branch; do not commit, roll back or close it yourself. */
        public Connection connection() {
            return connection;
        }

        /**
         * Ends and prepares the branch and releases the connection (to the pool, or held for the branch's phase
         * two where the database ties the branch to it). Returns {@code false} when the database answered
         * read-only: nothing was written, the branch is already finished and phase two will find no branch (which
         * the manager treats as done). Throws {@link XaBranchException} after rolling the branch back when its
         * rollback arrived before this prepare ({@link EarlyRollbacks}).
         */
        public boolean prepare() {
            boolean held = false;
            boolean answered = false;
            try {
                resource.end(xid, XAResource.TMSUCCESS);
                boolean prepared = resource.prepare(xid) == XAResource.XA_OK;
                answered = true;
                if (prepared && manager.preparedBranches != PreparedBranches.DETACHED) {
                    manager.pool.hold(xid, xaConnection, manager.preparedBranches == PreparedBranches.ATTACHED);
                    held = true;
                }
                // Looked at only after the branch is held, and the rollback marks before it looks for a held branch:
                // one of the two always sees the other.
                if (prepared && manager.earlyRollbacks.consume(xid)) {
                    // A held connection the rollback (or the pool, closing it) already took is no longer ours.
                    if (!held || manager.pool.takeHeld(xid) != null) {
                        held = false;
                        answered = false;
                        // On this connection: MariaDB does not let another one finish a branch still attached here.
                        rollBackPrepared();
                        answered = true;
                    }
                    throw new XaBranchException("XA branch " + describe(xid)
                            + " was rolled back before it was prepared; its work is undone", null);
                }
                return prepared;
            } catch (XAException e) {
                throw new XaBranchException("cannot prepare XA branch " + describe(xid) + ": " + detail(e), e);
            } finally {
                if (!held) {
                    manager.release(xaConnection, answered);
                }
            }
        }

        private void rollBackPrepared() {
            try {
                resource.rollback(xid);
            } catch (XAException e) {
                // XAER_NOTA: the rollback that came first found the branch after all and finished it.
                if (e.errorCode != XAException.XAER_NOTA) {
                    throw new XaBranchException("cannot roll back XA branch " + describe(xid) + ": " + detail(e), e);
                }
            }
        }

        /**
         * Ends the branch as failed and rolls it back; used when the work threw. The connection goes back to the
         * pool only when the database answered both calls (an error in the work itself leaves it usable); after
         * any other failure it is closed.
         */
        public void abandon() {
            boolean ended = false;
            boolean rolledBack = false;
            try {
                resource.end(xid, XAResource.TMFAIL);
                ended = true;
            } catch (XAException e) {
                // Some drivers refuse END after a failed statement; the rollback below still applies.
                ended = rolledBackAlready(e);
            }
            try {
                resource.rollback(xid);
                rolledBack = true;
            } catch (XAException e) {
                rolledBack = e.errorCode == XAException.XAER_NOTA || rolledBackAlready(e);
                if (!rolledBack) {
                    throw new XaBranchException("cannot roll back XA branch " + describe(xid) + ": " + detail(e), e);
                }
            } finally {
                manager.release(xaConnection, ended && rolledBack);
            }
        }

        /** The database rolled the branch back on its own (a deadlock, a timeout): an answer, not a failure. */
        private static boolean rolledBackAlready(XAException e) {
            return e.errorCode >= XAException.XA_RBBASE && e.errorCode <= XAException.XA_RBEND;
        }
    }
}

package io.flotilla.tx.xa;

import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * XA branches on one {@link XADataSource} (PostgreSQL's {@code PGXADataSource}, MariaDB's
 * {@code MariaDbDataSource}, H2's {@code JdbcDataSource}), Spring-free.
 *
 * <p>A branch is started and prepared on one XA connection, which is then closed: the prepared branch lives in
 * the database, not in the connection, so commit and rollback (phase two, or recovery after a crash) open a
 * fresh connection and name the branch by its xid. Both are idempotent: a branch the database no longer knows
 * ({@code XAER_NOTA}) has already been finished.
 *
 * <p>H2 is the exception: it rolls a prepared branch back when its connection closes, so for H2 the prepared
 * connection is kept open until phase two and a prepared branch does not survive this process (development
 * use only).
 */
public final class XaResourceManager {

    private final XADataSource dataSource;
    private final String tag;
    private final boolean branchesDieWithTheirConnection;
    private final Map<FlotillaXid, XAConnection> heldConnections = new ConcurrentHashMap<>();
    private final EarlyRollbacks earlyRollbacks = new EarlyRollbacks();

    /**
     * @param tag recovery tag written into every branch qualifier; recovery only touches branches with this tag,
     *            so give each participant application its own (its name, by default)
     */
    public XaResourceManager(XADataSource dataSource, String tag) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.tag = Objects.requireNonNull(tag);
        this.branchesDieWithTheirConnection = dataSource.getClass().getName().startsWith("org.h2.");
    }

    public String tag() {
        return tag;
    }

    /** Opens an XA connection and starts the branch on it; the caller runs its work on {@link OpenBranch#connection()}. */
    public OpenBranch start(String xid, String branchId) {
        FlotillaXid branch = new FlotillaXid(xid, branchId, tag);
        XAConnection xaConnection = null;
        try {
            xaConnection = dataSource.getXAConnection();
            XAResource resource = xaConnection.getXAResource();
            resource.start(branch, XAResource.TMNOFLAGS);
            return new OpenBranch(this, branch, xaConnection, resource, xaConnection.getConnection());
        } catch (SQLException | XAException e) {
            closeQuietly(xaConnection);
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
        XAConnection xaConnection = heldConnections.remove(branch);
        if (xaConnection == null && branchesDieWithTheirConnection) {
            return false; // finished already, or lost with its connection: H2 has nothing to name
        }
        try {
            if (xaConnection == null) {
                xaConnection = dataSource.getXAConnection();
            }
            XAResource resource = xaConnection.getXAResource();
            try {
                if (commit) {
                    resource.commit(branch, false);
                } else {
                    resource.rollback(branch);
                }
                return true;
            } catch (XAException e) {
                return switch (e.errorCode) {
                    case XAException.XAER_NOTA -> {
                        if (stillPrepared(resource, branch)) {
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
                        yield true;
                    }
                    default -> throw e;
                };
            }
        } catch (SQLException | XAException e) {
            throw new XaBranchException("cannot " + (commit ? "commit" : "roll back") + " XA branch " + describe(branch)
                    + ": " + detail(e), e);
        } finally {
            closeQuietly(xaConnection);
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
        XAConnection xaConnection = null;
        try {
            xaConnection = dataSource.getXAConnection();
            List<FlotillaXid> own = new ArrayList<>();
            for (Xid xid : preparedBranches(xaConnection.getXAResource())) {
                FlotillaXid branch = FlotillaXid.from(xid);
                if (branch != null && branch.tag().equals(tag)) {
                    own.add(branch);
                }
            }
            return own;
        } catch (SQLException | XAException e) {
            throw new XaBranchException("XA RECOVER failed: " + detail(e), e);
        } finally {
            closeQuietly(xaConnection);
        }
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

    static void closeQuietly(XAConnection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing after the branch was prepared or finished: the database keeps the outcome either way.
            }
        }
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
         * Ends and prepares the branch and releases the connection. Returns {@code false} when the database
         * answered read-only: nothing was written, the branch is already finished and phase two will find no
         * branch (which the manager treats as done). Throws {@link XaBranchException} after rolling the branch
         * back when its rollback arrived before this prepare ({@link EarlyRollbacks}).
         */
        public boolean prepare() {
            boolean keepOpen = false;
            try {
                resource.end(xid, XAResource.TMSUCCESS);
                boolean prepared = resource.prepare(xid) == XAResource.XA_OK;
                if (prepared && manager.branchesDieWithTheirConnection) {
                    manager.heldConnections.put(xid, xaConnection);
                    keepOpen = true;
                }
                // Looked at only after the branch is held, and the rollback marks before it looks for a held branch:
                // one of the two always sees the other.
                if (prepared && manager.earlyRollbacks.consume(xid)) {
                    // A held connection the rollback already took is its to finish and close.
                    if (!keepOpen || manager.heldConnections.remove(xid) != null) {
                        keepOpen = false;
                        // On this connection: MariaDB does not let another one finish a branch still attached here.
                        rollBackPrepared();
                    }
                    throw new XaBranchException("XA branch " + describe(xid)
                            + " was rolled back before it was prepared; its work is undone", null);
                }
                return prepared;
            } catch (XAException e) {
                throw new XaBranchException("cannot prepare XA branch " + describe(xid) + ": " + detail(e), e);
            } finally {
                if (!keepOpen) {
                    closeQuietly(xaConnection);
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

        /** Ends the branch as failed and rolls it back; used when the work threw. */
        public void abandon() {
            try {
                resource.end(xid, XAResource.TMFAIL);
            } catch (XAException ignored) {
                // Some drivers refuse END after a failed statement; the rollback below still applies.
            }
            try {
                resource.rollback(xid);
            } catch (XAException e) {
                if (e.errorCode != XAException.XAER_NOTA && e.errorCode < XAException.XA_RBBASE) {
                    throw new XaBranchException("cannot roll back XA branch " + describe(xid) + ": " + detail(e), e);
                }
            } finally {
                closeQuietly(xaConnection);
            }
        }
    }
}

package io.flotilla.tx.tcc;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TCC fence table ({@code flotilla_tx_fence}): one row per branch, written on the caller's connection so it
 * commits or rolls back with the branch's business change. Spring-free; the caller owns the transaction.
 *
 * <p>Every phase starts by <em>inserting</em> its row and only then looks at what is there. A missing row is
 * never read with {@code SELECT … FOR UPDATE}, which on MySQL/MariaDB at REPEATABLE READ takes a gap lock that
 * deadlocks a concurrent insert of the same key (Seata's fence trap). A concurrent insert of the same key waits
 * for the first to commit or roll back, then either fails as a duplicate or goes ahead, so:
 * <ul>
 *   <li>try: the insert of TRIED succeeds, or the try is refused (its cancel came first: anti-suspension);</li>
 *   <li>cancel: the insert of CANCELLED succeeds when no try committed (empty rollback, recorded so a late try
 *       is refused), else TRIED becomes CANCELLED and the business cancel runs once;</li>
 *   <li>confirm: TRIED becomes CONFIRMED and the business confirm runs once; repeats are duplicates.</li>
 * </ul>
 * On MySQL/MariaDB the insert is {@code INSERT … ON DUPLICATE KEY UPDATE}, which locks an existing row
 * exclusively at once, instead of a plain insert whose duplicate-key error takes a shared lock that two
 * concurrent duplicates would both try to upgrade (a deadlock InnoDB would have to break). A random token in
 * the row tells the inserter whether the row is its own.
 */
public final class TccFenceStore {

    public static final String TABLE = "flotilla_tx_fence";

    /**
     * Tokens only need to differ between inserters of the same branch, which may be other processes: a random
     * prefix per store and a counter (at most 33 characters). A random UUID per insert drew on the shared
     * {@code SecureRandom} every time, 2 % of a participant's CPU under load.
     */
    private final String tokenPrefix = HexFormat.of().toHexDigits(new SecureRandom().nextLong()) + "-";

    private final AtomicLong tokens = new AtomicLong();

    /** Records a try. Returns {@code false} when a row for the branch already exists: the try must not run. */
    public boolean recordTry(Connection connection, String xid, String branchId, String resource, String payload)
            throws SQLException {
        return insertIfAbsent(connection, xid, branchId, resource, FenceStatus.TRIED, payload);
    }

    /** Decides a confirm; on {@link FenceDecision.Action#RUN} the row is already CONFIRMED in this transaction. */
    public FenceDecision confirm(Connection connection, String xid, String branchId, String resource) throws SQLException {
        return secondPhase(connection, xid, branchId, resource, FenceStatus.CONFIRMED);
    }

    /** Decides a cancel; on {@link FenceDecision.Action#RUN} the row is already CANCELLED in this transaction. */
    public FenceDecision cancel(Connection connection, String xid, String branchId, String resource) throws SQLException {
        return secondPhase(connection, xid, branchId, resource, FenceStatus.CANCELLED);
    }

    /** The branch's current status, or {@code null} when it has no row (for operators and tests). */
    public FenceStatus status(Connection connection, String xid, String branchId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status FROM " + TABLE + " WHERE xid = ? AND branch_id = ?")) {
            select.setString(1, xid);
            select.setString(2, branchId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? FenceStatus.valueOf(row.getString(1)) : null;
            }
        }
    }

    /** Deletes rows of finished branches created before {@code cutoff}; returns how many went. */
    public int deleteFinishedBefore(Connection connection, Instant cutoff) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + TABLE + " WHERE created_at < ? AND status <> 'TRIED'")) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            return delete.executeUpdate();
        }
    }

    private FenceDecision secondPhase(Connection connection, String xid, String branchId, String resource,
            FenceStatus target) throws SQLException {
        if (insertIfAbsent(connection, xid, branchId, resource, target, null)) {
            return new FenceDecision(FenceDecision.Action.EMPTY, null, null);
        }
        Row row = lockRow(connection, xid, branchId);
        if (row.status() == target) {
            return new FenceDecision(FenceDecision.Action.DUPLICATE, null, null);
        }
        if (row.status() != FenceStatus.TRIED) {
            return new FenceDecision(FenceDecision.Action.CONFLICT, null, row.status());
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE
                + " SET status = ?, updated_at = CURRENT_TIMESTAMP WHERE xid = ? AND branch_id = ? AND status = 'TRIED'")) {
            update.setString(1, target.name());
            update.setString(2, xid);
            update.setString(3, branchId);
            if (update.executeUpdate() != 1) {
                throw new SQLException("fence row of " + xid + "/" + branchId + " changed while locked");
            }
        }
        return new FenceDecision(FenceDecision.Action.RUN, row.payload(), null);
    }

    private boolean insertIfAbsent(Connection connection, String xid, String branchId, String resource,
            FenceStatus status, String payload) throws SQLException {
        Dialect dialect = Dialect.of(connection);
        String token = tokenPrefix + Long.toHexString(tokens.incrementAndGet());
        String columns = " (xid, branch_id, resource, status, token, payload) VALUES (?, ?, ?, ?, ?, ?)";
        String sql = switch (dialect) {
            case POSTGRESQL -> "INSERT INTO " + TABLE + columns + " ON CONFLICT DO NOTHING";
            case MYSQL -> "INSERT INTO " + TABLE + columns + " ON DUPLICATE KEY UPDATE xid = xid";
            case OTHER -> "INSERT INTO " + TABLE + columns;
        };
        int inserted;
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, xid);
            insert.setString(2, branchId);
            insert.setString(3, resource);
            insert.setString(4, status.name());
            insert.setString(5, token);
            insert.setString(6, payload);
            inserted = insert.executeUpdate();
        } catch (SQLException e) {
            if (dialect == Dialect.OTHER && isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
        if (dialect == Dialect.MYSQL) {
            // The affected-row count of an upsert depends on the driver's found-rows flag; the token does not.
            return token.equals(lockRow(connection, xid, branchId).token());
        }
        return inserted == 1;
    }

    private Row lockRow(Connection connection, String xid, String branchId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status, token, payload FROM " + TABLE + " WHERE xid = ? AND branch_id = ? FOR UPDATE")) {
            select.setString(1, xid);
            select.setString(2, branchId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("fence row of " + xid + "/" + branchId + " vanished after its insert");
                }
                return new Row(FenceStatus.valueOf(row.getString(1)), row.getString(2), row.getString(3));
            }
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private record Row(FenceStatus status, String token, String payload) {
    }

    private enum Dialect {
        POSTGRESQL, MYSQL, OTHER;

        static Dialect of(Connection connection) throws SQLException {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            if (product.contains("mysql") || product.contains("mariadb")) {
                return MYSQL;
            }
            return OTHER;
        }
    }
}

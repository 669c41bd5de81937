package io.flotilla.id.segment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

/**
 * {@link SegmentStore} on a plain JDBC {@link DataSource} (PostgreSQL, MariaDB/MySQL, H2), table
 * {@value #TABLE} ({@code biz_tag} primary key, {@code max_id}, {@code step}).
 *
 * <p>A segment is read, then claimed with one compare-and-set {@code UPDATE ... SET max_id = new WHERE biz_tag = ?
 * AND max_id = old}: the update that matches a row owns {@code old+1..new}; one that matches none lost to another
 * allocator (another replica) and reads again. Each statement runs in its own auto-committed transaction, so no
 * row lock is held between the two and any isolation level is enough.
 */
public final class JdbcSegmentStore implements SegmentStore {

    /** Name of the segment table. */
    public static final String TABLE = "flotilla_id_segment";

    private static final String SELECT = "SELECT max_id, step FROM " + TABLE + " WHERE biz_tag = ?";

    private static final String CLAIM = "UPDATE " + TABLE + " SET max_id = ? WHERE biz_tag = ? AND max_id = ?";

    private static final String INSERT = "INSERT INTO " + TABLE + " (biz_tag, max_id, step) VALUES (?, 0, ?)";

    private static final int MAX_ATTEMPTS = 100;

    private final DataSource dataSource;

    /**
     * @param dataSource database holding the {@value #TABLE} table
     */
    public JdbcSegmentStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Segment allocate(String tag, long step) {
        try (Connection connection = dataSource.getConnection()) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                Row row = read(connection, tag);
                long size = (step > 0) ? step : row.step();
                long newMax;
                try {
                    newMax = Math.addExact(row.maxId(), size);
                }
                catch (ArithmeticException ex) {
                    throw new IdSegmentException("segment tag '" + tag + "' is exhausted: max_id " + row.maxId()
                            + " + " + size + " overflows a 64-bit id");
                }
                if (claim(connection, tag, row.maxId(), newMax)) {
                    return new Segment(tag, row.maxId() + 1, newMax, row.step());
                }
                // Another allocator moved max_id between our read and our update: back off a little and read again.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000, 500_000L * Math.min(attempt, 10)));
            }
            throw new IdSegmentException("segment tag '" + tag + "': lost " + MAX_ATTEMPTS
                    + " races for the next segment in a row; the table is under heavy contention, raise its step");
        }
        catch (SQLException ex) {
            throw new IdSegmentException("cannot take a segment of tag '" + tag + "' from the database: "
                    + ex.getMessage(), ex);
        }
    }

    @Override
    public void create(String tag, long step) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, tag);
            insert.setLong(2, step);
            insert.executeUpdate();
            commitIfNeeded(connection);
        }
        catch (SQLException ex) {
            if (isDuplicateKey(ex)) {
                throw new TagExistsException(tag);
            }
            throw new IdSegmentException("cannot create segment tag '" + tag + "': " + ex.getMessage(), ex);
        }
    }

    private static Row read(Connection connection, String tag) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, tag);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    commitIfNeeded(connection);
                    throw new UnknownTagException(tag);
                }
                Row row = new Row(rows.getLong(1), rows.getLong(2));
                commitIfNeeded(connection);
                return row;
            }
        }
    }

    private static boolean claim(Connection connection, String tag, long oldMax, long newMax) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(CLAIM)) {
            update.setLong(1, newMax);
            update.setString(2, tag);
            update.setLong(3, oldMax);
            int updated = update.executeUpdate();
            commitIfNeeded(connection);
            return updated == 1;
        }
    }

    /** A pool configured without auto-commit still gets each statement committed on its own. */
    private static void commitIfNeeded(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** SQLSTATE class 23 is an integrity constraint violation: here, the primary key on biz_tag. */
    private static boolean isDuplicateKey(SQLException ex) {
        for (SQLException next = ex; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state != null && state.startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    private record Row(long maxId, long step) {
    }
}

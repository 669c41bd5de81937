package io.flotilla.id.redis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

import javax.sql.DataSource;

import io.flotilla.id.core.IdGenerationException;

/**
 * {@link HighWaterMarkStore} in the application's database, table {@value #TABLE} ({@code name} primary key,
 * {@code mark}), shared by every instance: a mark only ever rises ({@code UPDATE ... WHERE mark < ?}), so it is at
 * least every id any instance issued, and a generator that finds its counter gone back raises it above all of them.
 */
public final class JdbcHighWaterMarkStore implements HighWaterMarkStore {

    /** Name of the table. */
    public static final String TABLE = "flotilla_id_high_water_mark";

    private static final String SELECT = "SELECT mark FROM " + TABLE + " WHERE name = ?";

    private static final String RAISE = "UPDATE " + TABLE + " SET mark = ? WHERE name = ? AND mark < ?";

    private static final String INSERT = "INSERT INTO " + TABLE + " (name, mark) VALUES (?, ?)";

    private final DataSource dataSource;

    /**
     * @param dataSource database holding the {@value #TABLE} table
     */
    public JdbcHighWaterMarkStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public OptionalLong load(String name) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                OptionalLong mark = rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                commitIfNeeded(connection);
                return mark;
            }
        }
        catch (SQLException ex) {
            throw new IdGenerationException("cannot read the high-water mark of Redis counter '" + name + "': "
                    + ex.getMessage(), ex);
        }
    }

    @Override
    public void store(String name, long mark) {
        try (Connection connection = dataSource.getConnection()) {
            if (raise(connection, name, mark) || load(name).isPresent()) {
                return; // raised, or another instance holds a mark at least as high
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, name);
                insert.setLong(2, mark);
                insert.executeUpdate();
                commitIfNeeded(connection);
            }
            catch (SQLException ex) {
                if (ex.getSQLState() == null || !ex.getSQLState().startsWith("23")) {
                    throw ex;
                }
                rollbackIfNeeded(connection);
                raise(connection, name, mark); // another instance inserted first
            }
        }
        catch (SQLException ex) {
            throw new IdGenerationException("cannot write the high-water mark of Redis counter '" + name + "': "
                    + ex.getMessage(), ex);
        }
    }

    private static boolean raise(Connection connection, String name, long mark) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RAISE)) {
            update.setLong(1, mark);
            update.setString(2, name);
            update.setLong(3, mark);
            int updated = update.executeUpdate();
            commitIfNeeded(connection);
            return updated == 1;
        }
    }

    private static void commitIfNeeded(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private static void rollbackIfNeeded(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
        }
    }
}

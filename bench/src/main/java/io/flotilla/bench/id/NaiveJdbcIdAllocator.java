package io.flotilla.bench.id;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * The baseline for segment ids: every id is its own transaction on the segment table's row, {@code UPDATE max_id =
 * max_id + 1} then reading it back, as an application would use a database sequence row without segments.
 */
final class NaiveJdbcIdAllocator {

    private static final String INCREMENT = "UPDATE flotilla_id_segment SET max_id = max_id + 1 WHERE biz_tag = ?";

    private static final String READ = "SELECT max_id FROM flotilla_id_segment WHERE biz_tag = ?";

    private final DataSource dataSource;

    NaiveJdbcIdAllocator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    long next(String tag) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement increment = connection.prepareStatement(INCREMENT);
                    PreparedStatement read = connection.prepareStatement(READ)) {
                increment.setString(1, tag);
                if (increment.executeUpdate() != 1) {
                    throw new SQLException("no row for tag " + tag);
                }
                read.setString(1, tag);
                try (ResultSet rows = read.executeQuery()) {
                    rows.next();
                    long id = rows.getLong(1);
                    connection.commit();
                    return id;
                }
            }
            catch (SQLException ex) {
                connection.rollback();
                throw ex;
            }
            finally {
                connection.setAutoCommit(true);
            }
        }
    }
}

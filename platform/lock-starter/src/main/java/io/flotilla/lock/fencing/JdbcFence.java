package io.flotilla.lock.fencing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * The check that makes a lock safe: the protected resource itself refuses a write whose fencing token is not
 * newer than the newest it has accepted. A holder that lost its lease without noticing (a long GC pause, a
 * partition, a Redis failover) still carries its old token, so its late write is refused here even though the
 * lock could not stop it.
 *
 * <p>Each guarded row keeps the last accepted token in a column. {@link #advance} runs
 * {@code UPDATE <table> SET <token> = ? WHERE <key> = ? AND <token> < ?} in the caller's transaction: the row lock
 * that UPDATE takes orders concurrent writers, and the caller makes its real change in the same transaction only
 * when this returns true. The rule is strict, so a token is accepted once per row: do all the writes of one
 * acquisition in one transaction.
 *
 * <pre>{@code
 * connection.setAutoCommit(false);
 * if (fence.advance(connection, accountId, token)) {
 *     // UPDATE account SET balance = ... WHERE id = ?
 *     connection.commit();
 * } else {
 *     connection.rollback();   // a newer holder has written: this one's lock is gone
 * }
 * }</pre>
 */
public final class JdbcFence {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private final String advanceSql;

    /**
     * @param table table holding the guarded rows
     * @param keyColumn column identifying a row
     * @param tokenColumn numeric column with the last accepted token (start it at 0)
     */
    public JdbcFence(String table, String keyColumn, String tokenColumn) {
        requireIdentifier(table);
        requireIdentifier(keyColumn);
        requireIdentifier(tokenColumn);
        this.advanceSql = "UPDATE " + table + " SET " + tokenColumn + " = ? WHERE " + keyColumn + " = ? AND "
                + tokenColumn + " < ?";
    }

    /**
     * Records {@code token} as the newest on the row {@code key} if it is newer than the one there.
     *
     * @return true when accepted; false when the row has seen this or a newer token (or does not exist), in which
     *         case the caller must not write
     */
    public boolean advance(Connection connection, Object key, long token) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(advanceSql)) {
            statement.setLong(1, token);
            statement.setObject(2, key);
            statement.setLong(3, token);
            return statement.executeUpdate() == 1;
        }
    }

    private static void requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
    }
}

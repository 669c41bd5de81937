package io.flotilla.lock.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockBackendException;
import io.flotilla.lock.core.LockState;

/**
 * Locks in a relational table: one row per lock name under its primary key, holding the owner, the lease's expiry
 * and the lock's fencing token. The first acquisition of a name inserts its row; every later one is a conditional
 * {@code UPDATE} that takes the row only when it is free, expired or already the caller's, raising the token by
 * one in the same statement. Renewal and release are compare-and-set updates on the owner. A released lock keeps
 * its row (owner cleared) because the row carries the token counter: tokens strictly increase per name for as long
 * as the row lives, across every takeover.
 *
 * <p>Every expiry is computed and compared in SQL against the database's clock ({@link JdbcLockDialect}), so
 * clients with skewed clocks cannot disagree about whether a lease has run out. The row lock that each
 * {@code UPDATE} takes serialises contenders; the condition is evaluated on the newest committed row (PostgreSQL
 * re-checks it after waiting, InnoDB and H2 read the latest version for an update), so two contenders cannot both
 * take an expired lease.
 *
 * <p>Waiters poll: the wait between tries is the poll interval (with jitter) or the holder's remaining lease,
 * whichever is shorter, and a release by this same process wakes one of its waiters at once.
 *
 * <p>Like every lease-based lock this one cannot stop a holder paused past its lease from acting late; the fencing
 * token, checked by the protected resource, does.
 */
public final class JdbcLockBackend implements LockBackend {

    /** Default table; the shipped schema scripts create it. */
    public static final String DEFAULT_TABLE = "flotilla_lock";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private final DataSource dataSource;
    private final String table;
    private final Duration pollInterval;
    private final ReleaseSignals signals = new ReleaseSignals();

    private final JdbcLockDialect dialect;
    private final String takeSql;
    private final boolean takeAnswersToken;
    private final String holderSql;
    private final String insertSql;
    private final String renewSql;
    private final String releaseSql;
    private final String inspectSql;

    /**
     * @param dataSource the database holding the lock table
     * @param dialect how that database reads its clock ({@link JdbcLockDialect#detect})
     * @param table the lock table (see the {@code schema-<platform>.sql} scripts beside this class)
     * @param pollInterval longest a waiter sleeps between two tries
     */
    public JdbcLockBackend(DataSource dataSource, JdbcLockDialect dialect, String table, Duration pollInterval) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("not a plain SQL table name: " + table);
        }
        if (pollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("poll interval must be at least 1 ms, got " + pollInterval);
        }
        this.table = table;
        this.pollInterval = pollInterval;
        String now = dialect.nowMillis();
        this.dialect = dialect;
        // The token is assigned before the owner: MariaDB applies SET clauses left to right, the others all at once,
        // and in this order both read the old owner.
        String take = "UPDATE " + table + " SET token = "
                + dialect.tokenAssignment("CASE WHEN owner = ? THEN token ELSE token + 1 END") + ", owner = ?, "
                + "expires_at = " + now + " + ? WHERE name = ? AND (owner = ? OR owner IS NULL OR expires_at <= " + now + ")";
        String returning = dialect.returningToken(take);
        this.takeSql = returning != null ? returning : take;
        this.takeAnswersToken = returning != null;
        this.holderSql = "SELECT expires_at - " + now + " FROM " + table + " WHERE name = ?";
        this.insertSql = "INSERT INTO " + table + " (name, owner, token, expires_at) VALUES (?, ?, 1, " + now + " + ?)";
        this.renewSql = "UPDATE " + table + " SET expires_at = " + now + " + ? WHERE name = ? AND owner = ? AND expires_at > "
                + now;
        this.releaseSql = "UPDATE " + table + " SET owner = NULL, expires_at = 0 WHERE name = ? AND owner = ? "
                + "AND expires_at > " + now;
        this.inspectSql = "SELECT owner, token, expires_at - " + now + " FROM " + table
                + " WHERE name = ? AND owner IS NOT NULL AND expires_at > " + now;
    }

    /** A backend on {@code dataSource}'s database, with the dialect detected from it. */
    public static JdbcLockBackend create(DataSource dataSource, String table, Duration pollInterval) {
        return new JdbcLockBackend(dataSource, JdbcLockDialect.detect(dataSource), table, pollInterval);
    }

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public Optional<Grant> acquire(String name, String owner, Duration lease, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Attempt attempt = tryAcquire(name, owner, lease);
        if (attempt.granted()) {
            return Optional.of(new Grant(attempt.token(), false));
        }
        if (wait.isZero() || wait.isNegative()) {
            return Optional.empty();
        }
        try (ReleaseSignals.Waiter waiter = signals.join(name)) {
            while (true) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                waiter.await(Duration.ofNanos(Math.min(remaining, pause(attempt.holderLeftMillis()))));
                attempt = tryAcquire(name, owner, lease);
                if (attempt.granted()) {
                    return Optional.of(new Grant(attempt.token(), true));
                }
            }
        }
    }

    /** Nanoseconds until the next try: the poll interval with jitter, or sooner when the holder's lease ends. */
    private long pause(long holderLeftMillis) {
        long poll = pollInterval.toNanos();
        long jittered = poll / 2 + ThreadLocalRandom.current().nextLong(poll / 2 + 1);
        return Math.max(0, Math.min(jittered, Duration.ofMillis(holderLeftMillis).toNanos()));
    }

    private Attempt tryAcquire(String name, String owner, Duration lease) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try (Connection connection = dataSource.getConnection()) {
            return take(connection, name, owner, lease.toMillis());
        } catch (SQLException e) {
            if (isRolledBack(e)) {
                // A deadlock or serialisation failure (InnoDB's gap locks when two processes insert a new name at
                // once): the database rolled the statement back, so nothing is held; try again.
                return Attempt.busy(0);
            }
            // The statement may have committed although its answer was lost: make sure no hold is left for owner.
            try {
                release(name, owner);
            } catch (LockBackendException ignored) {
                // The database is away; a hold left behind expires with its lease.
            }
            throw failure(e);
        }
    }

    /**
     * One try, each statement in its own (auto-committed) transaction: the take answers the token in the same round
     * trip where the database can; a take that changed nothing reads the holder's remaining lease; a name without a
     * row gets its first row inserted.
     */
    private Attempt take(Connection connection, String name, String owner, long leaseMillis) throws SQLException {
        OptionalLong token = takeRow(connection, name, owner, leaseMillis);
        if (token.isPresent()) {
            return Attempt.granted(token.getAsLong());
        }
        try (PreparedStatement holder = connection.prepareStatement(holderSql)) {
            holder.setString(1, name);
            try (ResultSet row = holder.executeQuery()) {
                if (row.next()) {
                    return Attempt.busy(row.getLong(1));
                }
            }
        }
        // The lock's first use. Two processes may insert it at once: the one whose insert fails tries again.
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            insert.setString(1, name);
            insert.setString(2, owner);
            insert.setLong(3, leaseMillis);
            insert.executeUpdate();
            return Attempt.granted(1);
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return Attempt.busy(0);
            }
            throw e;
        }
    }

    private OptionalLong takeRow(Connection connection, String name, String owner, long leaseMillis)
            throws SQLException {
        try (PreparedStatement take = connection.prepareStatement(takeSql)) {
            take.setString(1, owner);
            take.setString(2, owner);
            take.setLong(3, leaseMillis);
            take.setString(4, name);
            take.setString(5, owner);
            if (takeAnswersToken) {
                try (ResultSet row = take.executeQuery()) {
                    return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
                }
            }
            if (take.executeUpdate() != 1) {
                return OptionalLong.empty();
            }
        }
        try (PreparedStatement token = connection.prepareStatement(dialect.tokenQuery());
                ResultSet row = token.executeQuery()) {
            row.next();
            return OptionalLong.of(row.getLong(1));
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private static boolean isRolledBack(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("40");
    }

    @Override
    public boolean renew(String name, String owner, Duration lease) {
        return update(renewSql, statement -> {
            statement.setLong(1, lease.toMillis());
            statement.setString(2, name);
            statement.setString(3, owner);
        }) == 1;
    }

    @Override
    public boolean release(String name, String owner) {
        boolean released = update(releaseSql, statement -> {
            statement.setString(1, name);
            statement.setString(2, owner);
        }) == 1;
        if (released) {
            signals.released(name);
        }
        return released;
    }

    @Override
    public Optional<LockState> inspect(String name) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(inspectSql)) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LockState(name, row.getString(1), row.getLong(2),
                        Duration.ofMillis(row.getLong(3))));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private int update(String sql, Parameters parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private LockBackendException failure(SQLException e) {
        return new LockBackendException("lock table " + table + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        // The data source belongs to the application.
    }

    @Override
    public String toString() {
        return "JdbcLockBackend[" + table + "]";
    }

    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** One try: granted with a token, or busy with the holder's remaining lease in milliseconds. */
    private record Attempt(boolean granted, long token, long holderLeftMillis) {

        static Attempt granted(long token) {
            return new Attempt(true, token, 0);
        }

        static Attempt busy(long holderLeftMillis) {
            return new Attempt(false, 0, holderLeftMillis);
        }
    }
}

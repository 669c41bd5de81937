package io.flotilla.lock.process;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.fencing.JdbcFence;
import io.flotilla.lock.redis.RedisLockBackend;

/**
 * A separate JVM of {@code MutualExclusionProcessIntegrationTests}: {@code threads} contenders each take the
 * lock {@code iterations} times and, while holding it, increment the shared PostgreSQL counter guarded by the
 * fencing token. An independent probe row counts holders inside the critical section, so an overlap is seen
 * even when the fence would have hidden it. Writes one result row and exits.
 *
 * <p>Arguments: redis-uri key-prefix jdbc-url jdbc-user worker-name threads iterations
 */
public final class CounterContender {

    public static void main(String[] args) throws Exception {
        String redisUri = args[0];
        String keyPrefix = args[1];
        String jdbcUrl = args[2];
        String user = args[3];
        String worker = args[4];
        int threads = Integer.parseInt(args[5]);
        int iterations = Integer.parseInt(args[6]);

        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        JdbcFence fence = new JdbcFence("counter", "id", "fence_token");
        try (RedisLockBackend backend = new RedisLockBackend(redisUri, keyPrefix, Duration.ofSeconds(5));
                DefaultLockRegistry registry = new DefaultLockRegistry(backend, Duration.ofSeconds(5))) {
            List<Thread> contenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread contender = new Thread(() -> {
                    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "")) {
                        for (int i = 0; i < iterations; i++) {
                            DistributedLock lock = registry.lock("counter");
                            long token = lock.lock();
                            try {
                                if (enter(connection) > 1) {
                                    overlaps.incrementAndGet();
                                }
                                if (!incrementFenced(connection, fence, token, worker)) {
                                    rejected.incrementAndGet();
                                }
                                leave(connection);
                            } finally {
                                lock.unlock();
                            }
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                        System.exit(2);
                    }
                }, worker + "-" + t);
                contender.start();
                contenders.add(contender);
            }
            for (Thread contender : contenders) {
                contender.join();
            }
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO results (worker, rejected, overlapping) VALUES (?, ?, ?)")) {
            insert.setString(1, worker);
            insert.setInt(2, rejected.get());
            insert.setInt(3, overlaps.get());
            insert.executeUpdate();
        }
        System.out.println(worker + " done: rejected=" + rejected + " overlaps=" + overlaps);
    }

    private static int enter(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE probe SET inside = inside + 1 WHERE id = 1 RETURNING inside");
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }

    private static void leave(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE probe SET inside = inside - 1 WHERE id = 1")) {
            statement.executeUpdate();
        }
    }

    static boolean incrementFenced(Connection connection, JdbcFence fence, long token, String worker)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            if (!fence.advance(connection, 1, token)) {
                connection.rollback();
                return false;
            }
            // Read-modify-write on purpose: only the lock (and the fence behind it) makes this safe.
            long value;
            try (PreparedStatement read = connection.prepareStatement("SELECT value FROM counter WHERE id = 1");
                    ResultSet result = read.executeQuery()) {
                result.next();
                value = result.getLong(1);
            }
            try (PreparedStatement write = connection.prepareStatement("UPDATE counter SET value = ? WHERE id = 1");
                    PreparedStatement log = connection.prepareStatement(
                            "INSERT INTO accepted (token, worker) VALUES (?, ?)")) {
                write.setLong(1, value + 1);
                write.executeUpdate();
                log.setLong(1, token);
                log.setString(2, worker);
                log.executeUpdate();
            }
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}

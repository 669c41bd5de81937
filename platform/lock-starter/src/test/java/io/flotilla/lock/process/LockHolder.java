package io.flotilla.lock.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockNotHeldException;
import io.flotilla.lock.fencing.JdbcFence;
import io.flotilla.lock.redis.RedisLockBackend;

/**
 * A separate JVM that takes one lock (watchdog-renewed, lease {@code lease-ms}) and keeps it. Without a trigger
 * file it holds until killed. With one, it waits for the file to appear, then writes the fenced counter with its
 * token and records the outcome (and whether its unlock was refused) in {@code results}, as a holder that was
 * paused past its lease would.
 *
 * <p>Arguments: redis-uri key-prefix lock-name lease-ms [jdbc-url jdbc-user trigger-file]
 */
public final class LockHolder {

    public static void main(String[] args) throws Exception {
        String redisUri = args[0];
        String keyPrefix = args[1];
        String name = args[2];
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        RedisLockBackend backend = new RedisLockBackend(redisUri, keyPrefix, Duration.ofSeconds(5));
        DefaultLockRegistry registry = new DefaultLockRegistry(backend, lease);
        DistributedLock lock = registry.lock(name);
        long token = lock.lock();
        System.out.println("holding " + name + " with token " + token);
        if (args.length == 4) {
            Thread.sleep(Long.MAX_VALUE);
        }
        String jdbcUrl = args[4];
        String user = args[5];
        Path trigger = Path.of(args[6]);
        while (!Files.exists(trigger)) {
            Thread.sleep(20);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "")) {
            boolean accepted = CounterContender.incrementFenced(connection, new JdbcFence("counter", "id", "fence_token"),
                    token, "paused");
            String unlock;
            try {
                lock.unlock();
                unlock = "released";
            } catch (LockNotHeldException e) {
                unlock = "refused";
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO results (worker, rejected, overlapping, note) VALUES ('paused', ?, 0, ?)")) {
                insert.setInt(1, accepted ? 0 : 1);
                insert.setString(2, unlock);
                insert.executeUpdate();
            }
        }
        System.out.println("late write " + token + " done");
        registry.close();
        backend.close();
    }
}

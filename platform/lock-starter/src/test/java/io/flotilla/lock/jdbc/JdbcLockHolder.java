package io.flotilla.lock.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockNotHeldException;

/**
 * A separate JVM that takes one JDBC lock (watchdog-renewed, lease {@code lease-ms}) and keeps it. Without a
 * trigger file it holds until killed. With one, it waits for the file, then writes the fenced counter with its token
 * and records the outcome and whether its unlock was refused, as a holder paused past its lease would.
 *
 * <p>Arguments: jdbc-url user password lock-name lease-ms [trigger-file]
 */
public final class JdbcLockHolder {

    public static void main(String[] args) throws Exception {
        String name = args[3];
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        HikariDataSource dataSource = FencedCounter.pool(args[0], args[1], args[2], 3);
        DefaultLockRegistry registry = new DefaultLockRegistry(
                JdbcLockBackend.create(dataSource, JdbcLockBackend.DEFAULT_TABLE, Duration.ofMillis(50)), lease);
        DistributedLock lock = registry.lock(name);
        long token = lock.lock();
        System.out.println("holding " + name + " with token " + token);
        if (args.length == 5) {
            Thread.sleep(Long.MAX_VALUE);
        }
        Path trigger = Path.of(args[5]);
        while (!Files.exists(trigger)) {
            Thread.sleep(20);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean accepted = FencedCounter.incrementFenced(connection, token, "paused");
            String unlock;
            try {
                lock.unlock();
                unlock = "released";
            } catch (LockNotHeldException e) {
                unlock = "refused";
            }
            FencedCounter.report(connection, "paused", accepted ? 0 : 1, 0, unlock);
        }
        System.out.println("late write " + token + " done");
        registry.close();
        dataSource.close();
    }
}

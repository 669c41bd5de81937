package io.flotilla.lock.jdbc;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;

/**
 * A separate JVM of {@code JdbcLockContract}: {@code threads} contenders each take the JDBC lock {@code iterations}
 * times and, while holding it, increment the fenced counter ({@link FencedCounter}). Writes one result row and exits.
 *
 * <p>Arguments: jdbc-url user password worker-name threads iterations
 */
public final class JdbcCounterContender {

    public static void main(String[] args) throws Exception {
        String worker = args[3];
        int threads = Integer.parseInt(args[4]);
        int iterations = Integer.parseInt(args[5]);
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        try (HikariDataSource dataSource = FencedCounter.pool(args[0], args[1], args[2], threads + 2);
                DefaultLockRegistry registry = new DefaultLockRegistry(
                        JdbcLockBackend.create(dataSource, JdbcLockBackend.DEFAULT_TABLE, Duration.ofMillis(50)),
                        Duration.ofSeconds(5))) {
            List<Thread> contenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread contender = new Thread(() -> {
                    try {
                        for (int i = 0; i < iterations; i++) {
                            DistributedLock lock = registry.lock("counter");
                            long token = lock.lock();
                            try (Connection connection = dataSource.getConnection()) {
                                if (FencedCounter.enter(connection) > 1) {
                                    overlaps.incrementAndGet();
                                }
                                if (!FencedCounter.incrementFenced(connection, token, worker)) {
                                    rejected.incrementAndGet();
                                }
                                FencedCounter.leave(connection);
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
            try (Connection connection = dataSource.getConnection()) {
                FencedCounter.report(connection, worker, rejected.get(), overlaps.get(), null);
            }
        }
        System.out.println(worker + " done: rejected=" + rejected + " overlaps=" + overlaps);
    }
}

package io.flotilla.lock.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockState;
import io.flotilla.lock.fencing.JdbcFence;
import io.flotilla.lock.redis.RedisLockBackend;
import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.testsupport.process.JavaProcess;
import io.flotilla.testsupport.redis.RedisExtension;
import io.flotilla.testsupport.redis.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis lock across real JVM processes, with a real PostgreSQL resource checking fencing tokens. */
@ExtendWith({ RedisExtension.class, DatabaseExtension.class })
class LockProcessIntegrationTests {

    private static final Duration PROCESS_DEADLINE = Duration.ofMinutes(3);

    private final List<JavaProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(JavaProcess::kill);
    }

    @Test
    void sixteenContendersInThreeProcessesCountExactlyWithEveryTokenInOrder(TestRedis redis,
            @Db(DatabaseEngine.POSTGRESQL) TestDatabase database) throws Exception {
        createSchema(database);
        int[] threadsPerProcess = { 6, 5, 5 };
        int iterations = 8;
        for (int p = 0; p < threadsPerProcess.length; p++) {
            processes.add(JavaProcess.builder("lock-contender-" + p, CounterContender.class)
                .args(redis.uri(), redis.keyPrefix(), database.jdbcUrl(), database.username(), "worker-" + p,
                        Integer.toString(threadsPerProcess[p]), Integer.toString(iterations))
                .start());
        }
        for (JavaProcess process : processes) {
            awaitTrue(() -> !process.isAlive(), PROCESS_DEADLINE, process.name() + " did not finish:\n" + process.logTail());
        }
        int expected = 16 * iterations;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            assertThat(queryLong(statement, "SELECT count(*) FROM results")).as("every process reported").isEqualTo(3);
            assertThat(queryLong(statement, "SELECT coalesce(sum(rejected), 0) FROM results"))
                .as("writes refused by the fence").isZero();
            assertThat(queryLong(statement, "SELECT coalesce(sum(overlapping), 0) FROM results"))
                .as("holders seen inside the critical section together").isZero();
            assertThat(queryLong(statement, "SELECT value FROM counter WHERE id = 1")).isEqualTo(expected);
            List<Long> tokens = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT token FROM accepted ORDER BY seq")) {
                while (rows.next()) {
                    tokens.add(rows.getLong(1));
                }
            }
            assertThat(tokens).hasSize(expected).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void holderKilledWithSigkillFreesTheLockWithinItsLease(TestRedis redis) throws Exception {
        Duration lease = Duration.ofSeconds(2);
        try (RedisLockBackend backend = new RedisLockBackend(redis.uri(), redis.keyPrefix(), Duration.ofSeconds(5))) {
            JavaProcess holder = start(JavaProcess.builder("lock-holder-killed", LockHolder.class)
                .args(redis.uri(), redis.keyPrefix(), "crash", Long.toString(lease.toMillis())));
            LockState held = awaitHeld(backend, "crash", holder);
            // Three leases later the holder's watchdog has kept it alive.
            Thread.sleep(lease.multipliedBy(3));
            assertThat(backend.inspect("crash")).get().extracting(LockState::owner).isEqualTo(held.owner());

            holder.kill();
            long killedAt = System.nanoTime();
            Optional<LockBackend.Grant> next = backend.acquire("crash", "successor", Duration.ofSeconds(30),
                    Duration.ofSeconds(60));
            Duration freedAfter = Duration.ofNanos(System.nanoTime() - killedAt);

            assertThat(next).as("lock taken over after the holder died").isPresent();
            assertThat(next.get().fencingToken()).isGreaterThan(held.fencingToken());
            // A correctness bound, not a speed one: nothing renews a dead holder's lease, so the lock cannot stay
            // taken much beyond one lease. The slack absorbs a busy machine.
            assertThat(freedAfter).isLessThan(lease.plusSeconds(10));
        }
    }

    @Test
    void holderPausedPastItsLeaseHasItsLateWriteRejectedByTheFence(TestRedis redis,
            @Db(DatabaseEngine.POSTGRESQL) TestDatabase database, @TempDir Path tmp) throws Exception {
        createSchema(database);
        Path trigger = tmp.resolve("write-now");
        try (RedisLockBackend backend = new RedisLockBackend(redis.uri(), redis.keyPrefix(), Duration.ofSeconds(5))) {
            JavaProcess holder = start(JavaProcess.builder("lock-holder-paused", LockHolder.class)
                .args(redis.uri(), redis.keyPrefix(), "paused", "1000", database.jdbcUrl(), database.username(),
                        trigger.toString()));
            LockState held = awaitHeld(backend, "paused", holder);

            holder.pause(); // SIGSTOP: the holder's watchdog stops with the rest of it, as in a long GC pause
            LockBackend.Grant successor = backend.acquire("paused", "successor", Duration.ofSeconds(30),
                    Duration.ofSeconds(60)).orElseThrow();
            assertThat(successor.fencingToken()).isGreaterThan(held.fencingToken());
            try (Connection connection = database.connect()) {
                assertThat(CounterContender.incrementFenced(connection, new JdbcFence("counter", "id", "fence_token"),
                        successor.fencingToken(), "successor")).isTrue();
            }

            Files.createFile(trigger);
            holder.resume();
            awaitTrue(() -> !holder.isAlive(), PROCESS_DEADLINE, "paused holder did not finish:\n" + holder.logTail());

            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                assertThat(queryLong(statement, "SELECT rejected FROM results WHERE worker = 'paused'"))
                    .as("late write of the paused holder refused").isEqualTo(1);
                try (ResultSet note = statement.executeQuery("SELECT note FROM results WHERE worker = 'paused'")) {
                    note.next();
                    assertThat(note.getString(1)).as("its unlock").isEqualTo("refused");
                }
                assertThat(queryLong(statement, "SELECT value FROM counter WHERE id = 1")).isEqualTo(1);
            }
            assertThat(backend.inspect("paused")).get().extracting(LockState::owner).isEqualTo("successor");
        }
    }

    private JavaProcess start(JavaProcess.Builder builder) {
        JavaProcess process = builder.build();
        processes.add(process);
        return process.start();
    }

    private static LockState awaitHeld(LockBackend backend, String name, JavaProcess holder) throws InterruptedException {
        awaitTrue(() -> backend.inspect(name).isPresent(), Duration.ofSeconds(90),
                holder.name() + " did not take the lock:\n" + holder.logTail());
        return backend.inspect(name).orElseThrow();
    }

    private static void createSchema(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE counter (id INT PRIMARY KEY, value BIGINT NOT NULL, fence_token BIGINT NOT NULL)");
            statement.execute("INSERT INTO counter VALUES (1, 0, 0)");
            statement.execute("CREATE TABLE probe (id INT PRIMARY KEY, inside INT NOT NULL)");
            statement.execute("INSERT INTO probe VALUES (1, 0)");
            statement.execute("CREATE TABLE accepted (seq BIGSERIAL PRIMARY KEY, token BIGINT NOT NULL, worker TEXT NOT NULL)");
            statement.execute("CREATE TABLE results (worker TEXT NOT NULL, rejected INT NOT NULL, overlapping INT NOT NULL, note TEXT)");
        }
    }

    private static long queryLong(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String message) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.sleep(50);
        }
    }
}

package io.flotilla.lock.jdbc;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.lock.config.JdbcLockProperties;
import io.flotilla.lock.config.JdbcLockSchemaInitializer;
import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockState;
import io.flotilla.testsupport.process.JavaProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.sql.init.DatabaseInitializationMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDBC backend against a real database, one subclass per engine, each giving every test a database of its own
 * through {@link #open}. The first tests check the {@link LockBackend} contract in this JVM; the last three are the
 * contract the other backends pass across processes: 16 contenders in 3 JVMs on a fenced counter, a holder killed
 * with {@code kill -9}, and a holder paused past its lease.
 */
abstract class JdbcLockContract {

    private static final Duration PROCESS_DEADLINE = Duration.ofMinutes(3);

    private String jdbcUrl;
    private String user;
    private String password;
    private HikariDataSource dataSource;
    private JdbcLockBackend backend;
    private final List<JavaProcess> processes = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @TempDir
    Path tmp;

    /** Called by each subclass's {@code @BeforeEach} with its test's own database. */
    void open(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password == null ? "" : password;
        this.dataSource = FencedCounter.pool(jdbcUrl, user, this.password, 8);
        JdbcLockProperties properties = new JdbcLockProperties();
        properties.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
        JdbcLockSchemaInitializer initializer = new JdbcLockSchemaInitializer(dataSource, properties);
        initializer.initializeDatabase();
        // Twice: the scripts are idempotent, as initialize-schema=always on every start needs.
        initializer.initializeDatabase();
        this.backend = JdbcLockBackend.create(dataSource, JdbcLockBackend.DEFAULT_TABLE, Duration.ofMillis(20));
    }

    @AfterEach
    void closeAll() {
        processes.forEach(JavaProcess::kill);
        threads.shutdownNow();
        if (dataSource != null) {
            dataSource.close();
        }
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    @Test
    void tokensIncreaseAcrossHoldersAndAReacquiringOwnerKeepsItsToken() throws Exception {
        long first = grant("a", "o1", Duration.ofSeconds(30));
        assertThat(backend.acquire("a", "o2", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
        assertThat(grant("a", "o1", Duration.ofSeconds(30))).as("reentrant acquire of the same owner").isEqualTo(first);
        assertThat(backend.release("a", "o1")).isTrue();
        assertThat(backend.release("a", "o1")).as("second release").isFalse();
        long second = grant("a", "o2", Duration.ofSeconds(30));
        assertThat(second).isGreaterThan(first);
        assertThat(backend.inspect("a")).get().satisfies(state -> {
            assertThat(state.owner()).isEqualTo("o2");
            assertThat(state.fencingToken()).isEqualTo(second);
            assertThat(state.remainingLease()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
        });
        assertThat(backend.inspect("free")).isEmpty();
    }

    @Test
    void nonHoldersCannotRenewOrRelease() throws Exception {
        grant("b", "holder", Duration.ofSeconds(30));
        assertThat(backend.release("b", "intruder")).isFalse();
        assertThat(backend.renew("b", "intruder", Duration.ofSeconds(30))).isFalse();
        assertThat(backend.renew("b", "holder", Duration.ofSeconds(60))).isTrue();
        assertThat(backend.inspect("b")).get().extracting(LockState::owner).isEqualTo("holder");
    }

    @Test
    void expiredLeaseIsTakenOverWithALargerTokenAndTheOldOwnerIsRefused() throws Exception {
        long old = grant("c", "slow", Duration.ofMillis(300));
        awaitTrue(() -> backend.inspect("c").isEmpty(), Duration.ofSeconds(30), "lease did not expire");
        long next = grant("c", "next", Duration.ofSeconds(30));
        assertThat(next).isGreaterThan(old);
        assertThat(backend.renew("c", "slow", Duration.ofSeconds(30))).as("stale renew").isFalse();
        assertThat(backend.release("c", "slow")).as("stale release").isFalse();
        assertThat(backend.inspect("c")).get().extracting(LockState::owner).isEqualTo("next");
    }

    @Test
    void aWaiterGetsTheLockWhenItIsReleased() throws Exception {
        long first = grant("d", "holder", Duration.ofMinutes(5));
        Future<Optional<LockBackend.Grant>> waiter = threads.submit(
                () -> backend.acquire("d", "waiter", Duration.ofSeconds(30), Duration.ofSeconds(60)));
        assertThatThrownBy(() -> waiter.get(300, TimeUnit.MILLISECONDS)).as("waiter returned while the lock was held")
            .isInstanceOf(TimeoutException.class);
        assertThat(backend.release("d", "holder")).isTrue();
        LockBackend.Grant grant = waiter.get(60, TimeUnit.SECONDS).orElseThrow();
        assertThat(grant.fencingToken()).isGreaterThan(first);
    }

    @Test
    void aContenderWhoseWaitRunsOutLeavesNothingBehind() throws Exception {
        grant("e", "holder", Duration.ofMinutes(5));
        assertThat(backend.acquire("e", "late", Duration.ofSeconds(30), Duration.ofMillis(200))).isEmpty();
        assertThat(backend.inspect("e")).get().extracting(LockState::owner).isEqualTo("holder");
    }

    /** SQL that moves a session's time zone 13 or 14 hours east of UTC, in this engine's words. */
    abstract String farEastTimeZoneSql();

    @Test
    void clientsInDifferentTimeZonesAgreeOnEveryLease() throws Exception {
        try (HikariDataSource farEast = FencedCounter.pool(jdbcUrl, user, password, 2, farEastTimeZoneSql())) {
            JdbcLockBackend other = JdbcLockBackend.create(farEast, JdbcLockBackend.DEFAULT_TABLE, Duration.ofMillis(20));
            grant("tz-here", "here", Duration.ofMinutes(1));
            assertThat(other.acquire("tz-here", "there", Duration.ofMinutes(1), Duration.ZERO)).isEmpty();
            assertThat(other.inspect("tz-here")).get().extracting(LockState::remainingLease)
                .satisfies(left -> assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
            other.acquire("tz-there", "there", Duration.ofMinutes(1), Duration.ZERO).orElseThrow();
            assertThat(backend.acquire("tz-there", "here", Duration.ofMinutes(1), Duration.ZERO)).isEmpty();
            assertThat(backend.inspect("tz-there")).get().extracting(LockState::remainingLease)
                .satisfies(left -> assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
        }
    }

    @Test
    void anInterruptedWaiterLeavesNothingBehind() throws Exception {
        grant("g", "holder", Duration.ofMinutes(5));
        List<Throwable> outcome = new ArrayList<>();
        Thread waiter = new Thread(() -> {
            try {
                backend.acquire("g", "waiter", Duration.ofSeconds(30), Duration.ofSeconds(60));
            } catch (Throwable e) {
                outcome.add(e);
            }
        });
        waiter.start();
        waiter.join(300);
        waiter.interrupt();
        waiter.join(30_000);
        assertThat(outcome).singleElement().isInstanceOf(InterruptedException.class);
        assertThat(backend.release("g", "holder")).isTrue();
        assertThat(backend.inspect("g")).as("the waiter took nothing after its interrupt").isEmpty();
    }

    @Test
    void lockNamesAreCaseSensitive() throws Exception {
        grant("Order:1", "upper", Duration.ofSeconds(30));
        assertThat(backend.acquire("order:1", "lower", Duration.ofSeconds(30), Duration.ZERO)).isPresent();
    }

    @Test
    void registryIsReentrantAndItsWatchdogKeepsTheLockPastTwoLeases() throws Exception {
        Duration lease = Duration.ofMillis(600);
        try (DefaultLockRegistry registry = new DefaultLockRegistry(backend, lease)) {
            DistributedLock lock = registry.lock("f");
            long token = lock.lock();
            assertThat(lock.lock()).as("nested lock").isEqualTo(token);
            long start = System.nanoTime();
            awaitTrue(() -> System.nanoTime() - start > lease.multipliedBy(3).toNanos(), Duration.ofSeconds(10), "");
            assertThat(backend.inspect("f")).get().extracting(LockState::fencingToken).isEqualTo(token);
            assertThat(backend.acquire("f", "other", lease, Duration.ZERO)).isEmpty();
            lock.unlock();
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            lock.unlock();
            assertThat(backend.inspect("f")).isEmpty();
        }
    }

    @Test
    void sixteenContendersInThreeProcessesCountExactlyWithEveryTokenInOrder() throws Exception {
        FencedCounter.createSchema(dataSource);
        int[] threadsPerProcess = { 6, 5, 5 };
        int iterations = 8;
        for (int p = 0; p < threadsPerProcess.length; p++) {
            processes.add(JavaProcess.builder("jdbc-lock-contender-" + p, JdbcCounterContender.class)
                .args(jdbcUrl, user, password, "worker-" + p, Integer.toString(threadsPerProcess[p]),
                        Integer.toString(iterations))
                .start());
        }
        for (JavaProcess process : processes) {
            awaitTrue(() -> !process.isAlive(), PROCESS_DEADLINE, process.name() + " did not finish:\n" + process.logTail());
        }
        int expected = 16 * iterations;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            assertThat(queryLong(statement, "SELECT count(*) FROM results")).as("every process reported").isEqualTo(3);
            assertThat(queryLong(statement, "SELECT coalesce(sum(rejected), 0) FROM results"))
                .as("writes refused by the fence").isZero();
            assertThat(queryLong(statement, "SELECT coalesce(sum(overlapping), 0) FROM results"))
                .as("holders seen inside the critical section together").isZero();
            assertThat(queryLong(statement, "SELECT total FROM counter WHERE id = 1")).isEqualTo(expected);
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
    void holderKilledWithSigkillFreesTheLockWithinItsLease() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        JavaProcess holder = start(JavaProcess.builder("jdbc-lock-holder-killed", JdbcLockHolder.class)
            .args(jdbcUrl, user, password, "crash", Long.toString(lease.toMillis())));
        LockState held = awaitHeld("crash", holder);
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
        // A correctness bound, not a speed one: nothing renews a dead holder's lease. The slack absorbs a busy machine.
        assertThat(freedAfter).isLessThan(lease.plusSeconds(10));
    }

    @Test
    void holderPausedPastItsLeaseHasItsLateWriteRejectedByTheFence() throws Exception {
        FencedCounter.createSchema(dataSource);
        Path trigger = tmp.resolve("write-now");
        JavaProcess holder = start(JavaProcess.builder("jdbc-lock-holder-paused", JdbcLockHolder.class)
            .args(jdbcUrl, user, password, "paused", "1000", trigger.toString()));
        LockState held = awaitHeld("paused", holder);

        holder.pause(); // SIGSTOP: the holder's watchdog stops with the rest of it, as in a long GC pause
        LockBackend.Grant successor = backend.acquire("paused", "successor", Duration.ofSeconds(30),
                Duration.ofSeconds(60)).orElseThrow();
        assertThat(successor.fencingToken()).isGreaterThan(held.fencingToken());
        try (Connection connection = dataSource.getConnection()) {
            assertThat(FencedCounter.incrementFenced(connection, successor.fencingToken(), "successor")).isTrue();
        }

        Files.createFile(trigger);
        holder.resume();
        awaitTrue(() -> !holder.isAlive(), PROCESS_DEADLINE, "paused holder did not finish:\n" + holder.logTail());

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            assertThat(queryLong(statement, "SELECT rejected FROM results WHERE worker = 'paused'"))
                .as("late write of the paused holder refused").isEqualTo(1);
            try (ResultSet note = statement.executeQuery("SELECT note FROM results WHERE worker = 'paused'")) {
                note.next();
                assertThat(note.getString(1)).as("its unlock").isEqualTo("refused");
            }
            assertThat(queryLong(statement, "SELECT total FROM counter WHERE id = 1")).isEqualTo(1);
        }
        assertThat(backend.inspect("paused")).get().extracting(LockState::owner).isEqualTo("successor");
    }

    private long grant(String name, String owner, Duration lease) throws InterruptedException {
        return backend.acquire(name, owner, lease, Duration.ZERO).orElseThrow().fencingToken();
    }

    private JavaProcess start(JavaProcess.Builder builder) {
        JavaProcess process = builder.build();
        processes.add(process);
        return process.start();
    }

    private LockState awaitHeld(String name, JavaProcess holder) throws InterruptedException {
        awaitTrue(() -> backend.inspect(name).isPresent(), Duration.ofSeconds(90),
                holder.name() + " did not take the lock:\n" + holder.logTail());
        return backend.inspect(name).orElseThrow();
    }

    private static long queryLong(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, String message) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.sleep(20);
        }
    }
}

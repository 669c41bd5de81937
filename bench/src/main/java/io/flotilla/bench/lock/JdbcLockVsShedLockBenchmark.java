package io.flotilla.bench.lock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.jdbc.JdbcLockBackend;
import io.flotilla.lock.jdbc.JdbcLockDialect;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Flotilla's {@code jdbc} lock backend against ShedLock's {@code JdbcTemplateLockProvider}, on the same database in
 * the same run, each with its own table and its own connection pool of the same size. Both judge expiry by the
 * database's clock (ShedLock with {@code usingDbTime()}), both take a fixed lease and neither waits: ShedLock has no
 * wait, so a Flotilla acquisition here is {@code tryLock(0, lease)} (no watchdog) and the fair comparison is try-lock
 * throughput.
 *
 * <ul>
 * <li>uncontended: one thread, try + release pairs/s and latency, on one name;</li>
 * <li>contended: N threads trying one name at once; granted acquisitions/s (each released at once) and tries/s.</li>
 * </ul>
 *
 * Rounds alternate which side goes first. Prints each round and the mean ratios.
 *
 * <pre>
 * java -cp bench/target/flotilla-bench.jar io.flotilla.bench.lock.JdbcLockVsShedLockBenchmark \
 *     jdbc-url [user] [password] [seconds=5] [rounds=3] [threads=16] [isolation]
 * </pre>
 *
 * {@code isolation}, for example {@code TRANSACTION_READ_COMMITTED}, sets both pools' transaction isolation (HikariCP's
 * {@code transactionIsolation}); without it each connection keeps the server's default.
 */
public final class JdbcLockVsShedLockBenchmark {

    private static final Duration LEASE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args.length > 1 ? args[1] : "";
        String password = args.length > 2 ? args[2] : "";
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 5;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        String isolation = args.length > 6 ? args[6] : null;
        String run = UUID.randomUUID().toString().substring(0, 8);
        System.out.println(url + ", run " + run + ", Java " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, pools of " + threads + " connections"
                + (isolation != null ? ", " + isolation : ""));
        try (HikariDataSource flotillaPool = pool(url, user, password, threads, isolation);
                HikariDataSource shedLockPool = pool(url, user, password, threads, isolation)) {
            JdbcLockDialect dialect = JdbcLockDialect.detect(flotillaPool);
            createTables(flotillaPool, dialect);
            try {
                Target flotilla = new FlotillaTarget(flotillaPool, dialect);
                Target shedLock = new ShedLockTarget(shedLockPool);
                compare(flotilla, shedLock, "uncontended", 1, seconds, rounds, run);
                compare(flotilla, shedLock, "contended", threads, seconds, rounds, run);
            } finally {
                dropTables(flotillaPool);
            }
        }
    }

    /** One lock implementation: a try without waiting, and the release of what it got. */
    interface Target {

        String name();

        /** Tries {@code lockName} once; when granted, releases it; returns whether it was granted. */
        boolean tryLockUnlock(String lockName) throws Exception;
    }

    static final class FlotillaTarget implements Target {

        private final DefaultLockRegistry registry;

        FlotillaTarget(DataSource dataSource, JdbcLockDialect dialect) {
            this.registry = new DefaultLockRegistry(
                    new JdbcLockBackend(dataSource, dialect, "bench_flotilla_lock", Duration.ofMillis(50)), LEASE);
        }

        @Override
        public String name() {
            return "flotilla";
        }

        @Override
        public boolean tryLockUnlock(String lockName) throws InterruptedException {
            DistributedLock lock = registry.lock(lockName);
            OptionalLong token = lock.tryLock(Duration.ZERO, LEASE);
            if (token.isEmpty()) {
                return false;
            }
            lock.unlock();
            return true;
        }
    }

    static final class ShedLockTarget implements Target {

        private final JdbcTemplateLockProvider provider;

        ShedLockTarget(DataSource dataSource) {
            this.provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withTableName("bench_shedlock")
                .usingDbTime()
                .build());
        }

        @Override
        public String name() {
            return "shedlock";
        }

        @Override
        public boolean tryLockUnlock(String lockName) {
            Optional<SimpleLock> lock = provider.lock(new LockConfiguration(Instant.now(), lockName, LEASE, Duration.ZERO));
            lock.ifPresent(SimpleLock::unlock);
            return lock.isPresent();
        }
    }

    record Result(String target, int threads, long granted, long tries, double seconds, double p50Micros,
            double p99Micros) {

        double grantedPerSecond() {
            return granted / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%-9s threads=%2d granted/s=%8.0f tries/s=%8.0f p50=%8.1f us p99=%8.1f us (%d granted)", target,
                    threads, grantedPerSecond(), tries / seconds, p50Micros, p99Micros, granted);
        }
    }

    static Result run(Target target, String lockName, int threads, double seconds) throws InterruptedException {
        org.HdrHistogram.Recorder recorder = new org.HdrHistogram.Recorder(3);
        LongAdder granted = new LongAdder();
        LongAdder tries = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        if (target.tryLockUnlock(lockName)) {
                            granted.increment();
                        }
                        tries.increment();
                        recorder.recordValue(System.nanoTime() - start);
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    done.countDown();
                }
            }, target.name() + "-bench-" + t);
            worker.start();
        }
        long startedAt = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(target.name() + ": workers did not stop");
        }
        double elapsed = (System.nanoTime() - startedAt) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException(target.name() + " failed", failures.get(0));
        }
        org.HdrHistogram.Histogram histogram = recorder.getIntervalHistogram();
        return new Result(target.name(), threads, granted.sum(), tries.sum(), elapsed,
                histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3);
    }

    static void compare(Target candidate, Target baseline, String scenario, int threads, double seconds, int rounds,
            String run) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%n== %s: %d thread(s), %d rounds of %.0f s each ==%n", scenario, threads, rounds,
                seconds);
        String lockName = "bench-" + run + "-" + scenario;
        run(candidate, lockName, threads, Math.min(seconds, 3));
        run(baseline, lockName, threads, Math.min(seconds, 3));
        double candidateRate = 0;
        double baselineRate = 0;
        double candidateP99 = 0;
        double baselineP99 = 0;
        for (int round = 0; round < rounds; round++) {
            // Alternate which goes first so that a drift in machine load does not favour one side.
            List<Target> order = round % 2 == 0 ? List.of(candidate, baseline) : List.of(baseline, candidate);
            for (Target target : order) {
                Result result = run(target, lockName, threads, seconds);
                System.out.println("  round " + (round + 1) + ": " + result);
                if (target == candidate) {
                    candidateRate += result.grantedPerSecond();
                    candidateP99 += result.p99Micros();
                } else {
                    baselineRate += result.grantedPerSecond();
                    baselineP99 += result.p99Micros();
                }
            }
        }
        System.out.printf(Locale.ROOT,
                "  mean: %s %.0f granted/s p99 %.1f us | %s %.0f granted/s p99 %.1f us | throughput ratio %.2fx, "
                        + "p99 ratio %.2fx (baseline/candidate, >1 is better)%n",
                candidate.name(), candidateRate / rounds, candidateP99 / rounds, baseline.name(), baselineRate / rounds,
                baselineP99 / rounds, candidateRate / baselineRate, baselineP99 / candidateP99);
    }

    private static HikariDataSource pool(String url, String user, String password, int size, String isolation) {
        HikariConfig config = new HikariConfig();
        config.setTransactionIsolation(isolation);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    /** Flotilla's table from its shipped schema script; ShedLock's from its documented DDL. */
    private static void createTables(DataSource dataSource, JdbcLockDialect dialect) throws SQLException, IOException {
        String platform = switch (dialect) {
            case POSTGRESQL -> "postgresql";
            case MARIADB -> "mariadb";
            case H2 -> "h2";
        };
        String script;
        try (InputStream in = JdbcLockBackend.class.getResourceAsStream("schema-" + platform + ".sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String flotillaDdl = script.lines().filter(line -> !line.startsWith("--")).reduce("", (a, b) -> a + "\n" + b)
            .replace("flotilla_lock", "bench_flotilla_lock").replace(";", "");
        String timestamp = dialect == JdbcLockDialect.POSTGRESQL ? "TIMESTAMP" : "TIMESTAMP(3)";
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            dropTables(statement);
            statement.execute(flotillaDdl);
            statement.execute("CREATE TABLE bench_shedlock (name VARCHAR(64) NOT NULL PRIMARY KEY, lock_until "
                    + timestamp + " NOT NULL, locked_at " + timestamp + " NOT NULL, locked_by VARCHAR(255) NOT NULL)");
        }
    }

    private static void dropTables(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            dropTables(statement);
        }
    }

    private static void dropTables(Statement statement) throws SQLException {
        statement.execute("DROP TABLE IF EXISTS bench_flotilla_lock");
        statement.execute("DROP TABLE IF EXISTS bench_shedlock");
    }
}

package io.flotilla.bench.id;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.id.segment.JdbcSegmentStore;
import io.flotilla.id.segment.SegmentIdGenerator;

/**
 * Segment ids ({@link SegmentIdGenerator} on {@link JdbcSegmentStore}) against {@link NaiveJdbcIdAllocator} (one
 * transaction per id) on the same database in the same run, for each database given, with the same threads and the
 * same connection pool size. Prints ids/s and the ratio.
 * <p>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.id.SegmentVsNaiveBenchmark
 * [--seconds=10] [--threads=8] [--step=1000] jdbcUrl[|user|password] ...}; the default databases are an H2 file
 * under /tmp, the local PostgreSQL ({@code test}) and the local MariaDB ({@code test}).
 */
public final class SegmentVsNaiveBenchmark {

    private SegmentVsNaiveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int threads = 8;
        long step = 1000;
        List<String> databases = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--seconds=")) {
                seconds = Integer.parseInt(arg.substring(10));
            }
            else if (arg.startsWith("--threads=")) {
                threads = Integer.parseInt(arg.substring(10));
            }
            else if (arg.startsWith("--step=")) {
                step = Long.parseLong(arg.substring(7));
            }
            else {
                databases.add(arg);
            }
        }
        if (databases.isEmpty()) {
            databases = List.of("jdbc:h2:file:/tmp/flotilla-segment-bench/segments;WRITE_DELAY=0|sa|",
                    "jdbc:postgresql://127.0.0.1:5432/test|postgres|", "jdbc:mariadb://127.0.0.1:3306/test|root|");
        }
        Map<String, double[]> results = new LinkedHashMap<>();
        for (String database : databases) {
            String[] parts = (database + "||").split("\\|", -1);
            results.put(parts[0].replaceAll(";.*|\\?.*", ""),
                    compare(parts[0], parts[1], parts[2], Duration.ofSeconds(seconds), threads, step));
        }
        System.out.println();
        System.out.printf("threads %d, %d s per phase, tag step %d%n", threads, seconds, step);
        System.out.printf("%-45s %18s %18s %10s%n", "database", "naive ids/s", "segment ids/s", "ratio");
        results.forEach((url, r) -> System.out.printf("%-45s %,18.0f %,18.0f %9.0fx%n", url, r[0], r[1], r[1] / r[0]));
    }

    private static double[] compare(String url, String user, String password, Duration duration, int threads,
            long step) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(threads + 2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS flotilla_id_segment (biz_tag VARCHAR(128) NOT NULL "
                        + "PRIMARY KEY, max_id BIGINT NOT NULL, step BIGINT NOT NULL)");
            }
            String run = Long.toString(System.currentTimeMillis(), 36);
            NaiveJdbcIdAllocator naive = new NaiveJdbcIdAllocator(pool);
            JdbcSegmentStore store = new JdbcSegmentStore(pool);
            store.create("bench-naive-" + run, 1);
            try (SegmentIdGenerator segments = new SegmentIdGenerator(store)) {
                segments.createTag("bench-segment-" + run, step);
                IdSource naiveSource = () -> naive.next("bench-naive-" + run);
                IdSource segmentSource = () -> segments.next("bench-segment-" + run);
                System.out.printf("%s: warm-up%n", url);
                run(naiveSource, Duration.ofSeconds(2), threads);
                run(segmentSource, Duration.ofSeconds(2), threads);
                double naiveRate = run(naiveSource, duration, threads);
                double segmentRate = run(segmentSource, duration, threads);
                System.out.printf("%s: naive %,.0f ids/s, segment %,.0f ids/s (%d segments taken, %d waits)%n", url,
                        naiveRate, segmentRate, segments.segmentsTaken(), segments.switchWaits());
                return new double[] { naiveRate, segmentRate };
            }
        }
    }

    private static double run(IdSource source, Duration duration, int threads) throws Exception {
        LongAdder issued = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService workers = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                workers.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            source.next();
                            issued.increment();
                        }
                        catch (SQLException | RuntimeException ex) {
                            failed.increment();
                        }
                    }
                });
            }
        }
        if (failed.sum() > 0) {
            System.out.printf("  %d failed calls%n", failed.sum());
        }
        return issued.sum() / ((System.nanoTime() - start) / 1e9);
    }

    @FunctionalInterface
    private interface IdSource {

        long next() throws SQLException;
    }
}

package io.flotilla.id.segment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link JdbcSegmentStore} and {@link SegmentIdGenerator} promise on a real database: each engine's test
 * class supplies a fresh, empty database. Two connection pools on one database stand for two replicas.
 */
abstract class SegmentStoreContract {

    private final List<HikariDataSource> pools = new ArrayList<>();

    private final List<SegmentIdGenerator> generators = new ArrayList<>();

    /** @return JDBC URL, user and password of a fresh database holding nothing */
    abstract String[] database();

    @AfterEach
    void closeEverything() {
        generators.forEach(SegmentIdGenerator::close);
        pools.forEach(HikariDataSource::close);
    }

    DataSource newPool() {
        String[] database = database();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database[0]);
        config.setUsername(database[1]);
        config.setPassword(database[2]);
        config.setMaximumPoolSize(3);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** The schema the README gives users and id-service's migration creates. */
    static void createSchema(DataSource dataSource) {
        try (InputStream in = JdbcSegmentStore.class.getResourceAsStream("flotilla_id_segment.sql");
                Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "").strip();
            statement.execute(sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private SegmentIdGenerator generator(DataSource dataSource, long maxStep) {
        SegmentIdGenerator generator = new SegmentIdGenerator(new JdbcSegmentStore(dataSource),
                new SegmentStepPolicy(maxStep, Duration.ofMinutes(15)));
        generators.add(generator);
        return generator;
    }

    @Test
    void segmentsFollowEachOtherFromOne() throws SQLException {
        DataSource pool = newPool();
        createSchema(pool);
        JdbcSegmentStore store = new JdbcSegmentStore(pool);
        store.create("order", 10);
        assertThat(store.allocate("order", 0)).isEqualTo(new Segment("order", 1, 10, 10));
        assertThat(store.allocate("order", 25)).isEqualTo(new Segment("order", 11, 35, 10));
        assertThat(maxId(pool, "order")).isEqualTo(35);
    }

    @Test
    void creatingATagTwiceIsRefusedAndChangesNothing() throws SQLException {
        DataSource pool = newPool();
        createSchema(pool);
        JdbcSegmentStore store = new JdbcSegmentStore(pool);
        store.create("order", 10);
        store.allocate("order", 0);
        assertThatThrownBy(() -> store.create("order", 99)).isInstanceOf(TagExistsException.class);
        assertThat(maxId(pool, "order")).isEqualTo(10);
        assertThat(store.allocate("order", 0)).isEqualTo(new Segment("order", 11, 20, 10));
    }

    @Test
    void unknownTagIsRefused() {
        DataSource pool = newPool();
        createSchema(pool);
        assertThatThrownBy(() -> new JdbcSegmentStore(pool).allocate("missing", 0))
            .isInstanceOf(UnknownTagException.class);
    }

    @Test
    void twoGeneratorsOnTwoPoolsSharingTheDatabaseNeverIssueTheSameId() throws Exception {
        DataSource first = newPool();
        createSchema(first);
        DataSource second = newPool();
        // maxStep = step: every segment is small, so the two generators race for the row hundreds of times.
        SegmentIdGenerator a = generator(first, 20);
        SegmentIdGenerator b = generator(second, 20);
        a.createTag("shared", 20);
        int perCaller = 2_500;
        List<Future<long[]>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(4)) {
            for (SegmentIdGenerator generator : List.of(a, a, b, b)) {
                results.add(callers.submit(() -> {
                    long[] ids = new long[perCaller];
                    for (int i = 0; i < perCaller; i += 5) {
                        long[] batch = (i % 2 == 0) ? generator.next("shared", 5) : null;
                        for (int j = 0; j < 5; j++) {
                            ids[i + j] = (batch != null) ? batch[j] : generator.next("shared");
                        }
                    }
                    return ids;
                }));
            }
        }
        long[] all = new long[4 * perCaller];
        int offset = 0;
        for (Future<long[]> result : results) {
            long[] ids = result.get();
            assertThat(ids).as("each caller's ids increase").isSorted();
            System.arraycopy(ids, 0, all, offset, ids.length);
            offset += ids.length;
        }
        assertThat(Arrays.stream(all).distinct().count()).as("ids issued twice").isEqualTo(all.length);
        assertThat(a.segmentsTaken() + b.segmentsTaken()).isGreaterThan(all.length / 20);
    }

    @Test
    void aRestartedGeneratorIssuesAboveEveryIdIssuedBefore() throws SQLException {
        DataSource pool = newPool();
        createSchema(pool);
        SegmentIdGenerator before = generator(pool, 1_000_000);
        before.createTag("order", 100);
        long highest = 0;
        for (int i = 0; i < 150; i++) {
            highest = before.next("order");
        }
        before.close();
        SegmentIdGenerator after = generator(newPool(), 1_000_000);
        long next = after.next("order");
        assertThat(next).isGreaterThan(highest);
        // Within what the store has handed out. Not an exact segment boundary: the old generator's last background
        // load may still finish after close() (its loader is the caller's) and the new one may already be loading
        // its next segment, so max_id can move on either side of this call.
        assertThat(next).isLessThanOrEqualTo(maxId(pool, "order"));
    }

    private static long maxId(DataSource dataSource, String tag) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT max_id FROM flotilla_id_segment WHERE biz_tag = '" + tag + "'")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }
}

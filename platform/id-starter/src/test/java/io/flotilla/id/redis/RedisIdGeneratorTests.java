package io.flotilla.id.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.testsupport.redis.RedisExtension;
import io.flotilla.testsupport.redis.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against the real Redis: deleting the key stands for a Redis restarted without AOF. */
@ExtendWith(RedisExtension.class)
class RedisIdGeneratorTests {

    @TempDir
    Path stateDir;

    private LettuceConnectionFactory connections;

    private StringRedisTemplate redis;

    private TestRedis testRedis;

    @BeforeEach
    void connect(TestRedis testRedis) {
        this.testRedis = testRedis;
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(testRedis.host(), testRedis.port()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterEach
    void disconnect() {
        connections.destroy();
    }

    private RedisIdGenerator generator(long reserveStep) {
        return new RedisIdGenerator(redis, new FileHighWaterMarkStore(stateDir), testRedis.keyPrefix(), reserveStep);
    }

    @Test
    void idsComeFromTheCounterInOrder() {
        RedisIdGenerator generator = generator(100);
        assertThat(generator.next("order")).isEqualTo(1);
        assertThat(generator.next("order")).isEqualTo(2);
        assertThat(generator.next("order", 3)).containsExactly(3, 4, 5);
        assertThat(redis.opsForValue().get(testRedis.key("order"))).isEqualTo("5");
    }

    @Test
    void theMarkIsWrittenAheadOncePerReserveStep() throws Exception {
        RedisIdGenerator generator = generator(100);
        generator.next("order");
        Path mark = stateDir.resolve("order.mark");
        assertThat(Files.readString(mark).strip()).isEqualTo("101");
        for (int i = 0; i < 99; i++) {
            generator.next("order");
        }
        assertThat(Files.readString(mark).strip()).as("id 100 is still covered").isEqualTo("101");
        generator.next("order", 2);
        assertThat(Files.readString(mark).strip()).isEqualTo("202");
    }

    @Test
    void aCounterThatLostItsDataDoesNotMakeIdsGoBack() {
        RedisIdGenerator generator = generator(100);
        long highest = 0;
        for (int i = 0; i < 250; i++) {
            highest = Math.max(highest, generator.next("order"));
        }
        redis.delete(testRedis.key("order"));
        long next = generator.next("order");
        assertThat(next).isGreaterThan(highest);
        assertThat(generator.next("order")).isEqualTo(next + 1);
        assertThat(generator.regressions()).isEqualTo(1);
    }

    @Test
    void aRestartAfterRedisLostItsDataContinuesAboveEveryIdIssuedBefore() {
        long highest = 0;
        for (long id : generator(1000).next("order", 1_234)) {
            highest = Math.max(highest, id);
        }
        redis.delete(testRedis.key("order"));
        RedisIdGenerator restarted = generator(1000);
        long next = restarted.next("order");
        assertThat(next).isGreaterThan(highest);
        assertThat(restarted.next("order", 2)).containsExactly(next + 1, next + 2);
    }

    @Test
    void withASharedMarkStoreTheFirstToSeeTheLossLiftsTheCounterAboveEveryInstancesIds() throws Exception {
        try (HikariDataSource database = JdbcHighWaterMarkStoreTests
            .pool("jdbc:h2:mem:shared-marks-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            JdbcHighWaterMarkStoreTests.createTable(database);
            RedisIdGenerator quiet = new RedisIdGenerator(redis, new JdbcHighWaterMarkStore(database),
                    testRedis.keyPrefix(), 100);
            RedisIdGenerator busy = new RedisIdGenerator(redis, new JdbcHighWaterMarkStore(database),
                    testRedis.keyPrefix(), 100);
            long highest = quiet.next("order");
            for (long id : busy.next("order", 5_000)) {
                highest = Math.max(highest, id);
            }
            redis.delete(testRedis.key("order"));
            assertThat(quiet.next("order")).as("the instance that issued little sees the loss")
                .isGreaterThan(highest);
            assertThat(busy.next("order")).isGreaterThan(highest);
        }
    }

    @Test
    void concurrentCallersGetDistinctIdsAndNoFalseAlarm() throws Exception {
        RedisIdGenerator generator = generator(50);
        List<Future<long[]>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                results.add(callers.submit(() -> {
                    long[] ids = new long[500];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = generator.next("busy");
                    }
                    return ids;
                }));
            }
        }
        long[] all = new long[0];
        for (Future<long[]> result : results) {
            long[] ids = result.get();
            assertThat(ids).isSorted();
            all = concat(all, ids);
        }
        assertThat(Arrays.stream(all).distinct().count()).isEqualTo(2_000);
        assertThat(generator.regressions()).isZero();
    }

    @Test
    void badNamesAndCountsAreRefusedBeforeRedisIsAsked() {
        RedisIdGenerator generator = generator(10);
        assertThatThrownBy(() -> generator.next("../etc")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("counter name");
        assertThatThrownBy(() -> generator.next("order", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(redis.hasKey(testRedis.key("order"))).isFalse();
    }

    private static long[] concat(long[] a, long[] b) {
        long[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}

package io.flotilla.id.config;

import java.nio.file.Path;

import javax.sql.DataSource;

import io.flotilla.id.metrics.SegmentIdGeneratorMetrics;
import io.flotilla.id.redis.FileHighWaterMarkStore;
import io.flotilla.id.redis.HighWaterMarkStore;
import io.flotilla.id.redis.JdbcHighWaterMarkStore;
import io.flotilla.id.redis.RedisIdGenerator;
import io.flotilla.id.segment.SegmentIdGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class SegmentAndRedisIdAutoConfigurationTests {

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IdAutoConfiguration.class, SegmentIdAutoConfiguration.class,
                    RedisIdAutoConfiguration.class))
            .withPropertyValues("flotilla.id.state-dir=" + stateDir);
    }

    @Test
    void segmentGeneratorNeedsADataSource() {
        runner().run((context) -> assertThat(context).doesNotHaveBean(SegmentIdGenerator.class));
        runner().withBean(DataSource.class, () -> mock(DataSource.class))
            .run((context) -> assertThat(context).hasSingleBean(SegmentIdGenerator.class)
                .hasSingleBean(SegmentIdGeneratorMetrics.class));
    }

    @Test
    void segmentGeneratorCanBeSwitchedOff() {
        runner().withBean(DataSource.class, () -> mock(DataSource.class))
            .withPropertyValues("flotilla.id.segment.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(SegmentIdGenerator.class));
    }

    @Test
    void badSegmentBoundsStopStartUpNamingTheProperty() {
        runner().withBean(DataSource.class, () -> mock(DataSource.class))
            .withPropertyValues("flotilla.id.segment.max-step=0")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("maxStep must be at least 1"));
    }

    @Test
    void redisGeneratorNeedsAConnectionFactoryAndKeepsItsMarksUnderTheStateDir() {
        runner().run((context) -> assertThat(context).doesNotHaveBean(RedisIdGenerator.class));
        runner().withBean(RedisConnectionFactory.class, () -> new LettuceConnectionFactory())
            .run((context) -> {
                assertThat(context).hasSingleBean(RedisIdGenerator.class);
                FileHighWaterMarkStore marks = (FileHighWaterMarkStore) context.getBean(HighWaterMarkStore.class);
                assertThat(marks.file("order")).isEqualTo(stateDir.resolve("redis").resolve("order.mark"));
            });
    }

    @Test
    void redisPropertiesAreBound() {
        runner().withBean(RedisConnectionFactory.class, () -> new LettuceConnectionFactory())
            .withPropertyValues("flotilla.id.redis.state-dir=" + stateDir.resolve("marks"),
                    "flotilla.id.redis.key-prefix=app:ids:", "flotilla.id.redis.reserve-step=50")
            .run((context) -> {
                IdProperties.Redis redis = context.getBean(IdProperties.class).getRedis();
                assertThat(redis.getKeyPrefix()).isEqualTo("app:ids:");
                assertThat(redis.getReserveStep()).isEqualTo(50);
                FileHighWaterMarkStore marks = (FileHighWaterMarkStore) context.getBean(HighWaterMarkStore.class);
                assertThat(marks.file("order")).isEqualTo(stateDir.resolve("marks").resolve("order.mark"));
            });
    }

    @Test
    void jdbcMarkStoreUsesTheApplicationsDataSourceAndNeedsOne() {
        runner().withBean(RedisConnectionFactory.class, () -> new LettuceConnectionFactory())
            .withBean(DataSource.class, () -> mock(DataSource.class))
            .withPropertyValues("flotilla.id.redis.mark-store=jdbc")
            .run((context) -> assertThat(context).getBean(HighWaterMarkStore.class)
                .isInstanceOf(JdbcHighWaterMarkStore.class));
        runner().withBean(RedisConnectionFactory.class, () -> new LettuceConnectionFactory())
            .withPropertyValues("flotilla.id.redis.mark-store=jdbc")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("mark-store=jdbc needs a single DataSource"));
    }

    @Test
    void redisGeneratorBacksOffWithoutSpringDataRedis() {
        runner().withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisIdGenerator.class));
    }
}

package io.flotilla.id.config;

import java.nio.file.Path;

import javax.sql.DataSource;

import io.flotilla.id.redis.FileHighWaterMarkStore;
import io.flotilla.id.redis.HighWaterMarkStore;
import io.flotilla.id.redis.JdbcHighWaterMarkStore;
import io.flotilla.id.redis.RedisIdGenerator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configures a {@link RedisIdGenerator} when the application has Spring Data Redis and a
 * {@link RedisConnectionFactory}, with its high-water marks in files under {@code flotilla.id.redis.state-dir}, or
 * in the application's {@link DataSource} with {@code flotilla.id.redis.mark-store=jdbc}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "flotilla.id.redis.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdProperties.class)
public class RedisIdAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HighWaterMarkStore flotillaRedisIdHighWaterMarkStore(IdProperties properties,
            ObjectProvider<DataSource> dataSource) {
        if (properties.getRedis().getMarkStore() == IdProperties.MarkStore.JDBC) {
            DataSource unique = dataSource.getIfUnique();
            if (unique == null) {
                throw new IllegalStateException("flotilla.id.redis.mark-store=jdbc needs a single DataSource in the "
                        + "application (with the table flotilla_id_high_water_mark); set mark-store=file or add one");
            }
            return new JdbcHighWaterMarkStore(unique);
        }
        Path directory = properties.getRedis().getStateDir();
        return new FileHighWaterMarkStore((directory != null) ? directory : properties.getStateDir().resolve("redis"));
    }

    @Bean
    @ConditionalOnMissingBean
    RedisIdGenerator flotillaRedisIdGenerator(RedisConnectionFactory connectionFactory, HighWaterMarkStore marks,
            IdProperties properties) {
        IdProperties.Redis redis = properties.getRedis();
        if (redis.getReserveStep() < 1) {
            throw new IllegalArgumentException(
                    "flotilla.id.redis.reserve-step must be at least 1, got " + redis.getReserveStep());
        }
        return new RedisIdGenerator(new StringRedisTemplate(connectionFactory), marks, redis.getKeyPrefix(),
                redis.getReserveStep());
    }
}

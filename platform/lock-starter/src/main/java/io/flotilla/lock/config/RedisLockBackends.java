package io.flotilla.lock.config;

import io.flotilla.lock.redis.RedisLockBackend;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Builds the single-server backend on the application's Spring Data Redis connection factory, so that one Redis
 * configuration ({@code spring.data.redis.*}: URL, password, SSL bundle, sentinel, client resources) serves the
 * application and its locks; the deprecated {@code flotilla.lock.redis.uri} still gives a client of its own.
 */
final class RedisLockBackends {

    private static final Logger log = LoggerFactory.getLogger(RedisLockBackends.class);

    private RedisLockBackends() {
    }

    @SuppressWarnings("deprecation")
    static RedisLockBackend create(LockProperties properties, ObjectProvider<RedisConnectionFactory> connectionFactory) {
        LockProperties.Redis redis = properties.getRedis();
        if (redis.getUri() != null) {
            log.warn("flotilla.lock.redis.uri is deprecated: the lock backend now uses the application's Spring Data "
                    + "Redis connection (spring.data.redis.url, .password, .ssl.bundle, .sentinel.*). Move the address "
                    + "there and remove flotilla.lock.redis.uri; until then the locks keep a client of their own to {}.",
                    redis.getUri());
            return new RedisLockBackend(redis.getUri(), properties.getKeyPrefix(), redis.getCommandTimeout());
        }
        RedisConnectionFactory factory = connectionFactory.getIfAvailable();
        if (!(factory instanceof LettuceConnectionFactory lettuce)) {
            throw new IllegalStateException(factory == null
                    ? "flotilla.lock.backend=redis needs a Spring Data Redis RedisConnectionFactory: set spring.data.redis.* "
                            + "(Spring Boot's data-redis auto-configuration makes one), or choose another flotilla.lock.backend"
                    : "flotilla.lock.backend=redis runs on Lettuce, but the RedisConnectionFactory is a "
                            + factory.getClass().getSimpleName() + ": use Spring Boot's default client (spring.data.redis.client-type=lettuce)");
        }
        AbstractRedisClient client = lettuce.getRequiredNativeClient();
        if (!(client instanceof RedisClient single)) {
            throw new IllegalStateException("flotilla.lock.backend=redis needs a standalone or sentinel Redis, but "
                    + "spring.data.redis.cluster.* configures a Redis Cluster; use flotilla.lock.backend=redlock with "
                    + "independent servers, or registry");
        }
        String description = lettuce.isRedisSentinelAware() ? "Redis behind sentinels"
                : lettuce.getHostName() + ":" + lettuce.getPort();
        return new RedisLockBackend(single, description, properties.getKeyPrefix(), redis.getCommandTimeout());
    }
}

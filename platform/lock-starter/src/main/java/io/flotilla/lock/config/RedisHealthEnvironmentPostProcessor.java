package io.flotilla.lock.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The lock starter brings Spring Data Redis for its Redis backend, and with it Spring Boot's Redis health check.
 * An application whose locks are elsewhere (registry, redlock) and that configures no Redis of its own would
 * otherwise report DOWN for a Redis it never uses; for it this switches the check off by default
 * ({@code management.health.redis.enabled=false}, the lowest-precedence source, so any setting of the
 * application's wins).
 */
class RedisHealthEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    private static final String HEALTH_PROPERTY = "management.health.redis.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(HEALTH_PROPERTY) || locksOnRedis(environment)
                || configuresRedis(environment)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource("flotillaLockRedisHealth",
                Map.of(HEALTH_PROPERTY, "false")));
    }

    private static boolean locksOnRedis(ConfigurableEnvironment environment) {
        if (environment.getProperty(UnknownLockBackendCondition.PROPERTY) == null) {
            return true;
        }
        try {
            return Binder.get(environment).bind(UnknownLockBackendCondition.PROPERTY, LockProperties.Backend.class)
                .map(backend -> backend == LockProperties.Backend.REDIS)
                .orElse(true);
        } catch (BindException e) {
            return true;
        }
    }

    private static boolean configuresRedis(ConfigurableEnvironment environment) {
        ConfigurationPropertyName redis = ConfigurationPropertyName.of("spring.data.redis");
        for (var source : ConfigurationPropertySources.get(environment)) {
            if (source.containsDescendantOf(redis) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int getOrder() {
        // After the config data (application.yml) is loaded.
        return Ordered.LOWEST_PRECEDENCE;
    }
}

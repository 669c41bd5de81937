package io.flotilla.lock.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class RedisHealthEnvironmentPostProcessorTests {

    private static String healthAfter(String... properties) {
        StandardEnvironment environment = new StandardEnvironment();
        TestPropertyValues.of(properties).applyTo(environment);
        new RedisHealthEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty("management.health.redis.enabled");
    }

    @Test
    void redisHealthStaysOnWhenLocksAreOnRedis() {
        assertThat(healthAfter()).isNull();
        assertThat(healthAfter("flotilla.lock.backend=redis")).isNull();
    }

    @Test
    void redisHealthIsOffByDefaultWhenLocksAreElsewhereAndNoRedisIsConfigured() {
        assertThat(healthAfter("flotilla.lock.backend=registry")).isEqualTo("false");
    }

    @Test
    void applicationsOwnRedisOrSettingKeepsTheCheck() {
        assertThat(healthAfter("flotilla.lock.backend=registry", "spring.data.redis.host=cache")).isNull();
        assertThat(healthAfter("flotilla.lock.backend=registry", "management.health.redis.enabled=true")).isEqualTo("true");
    }
}

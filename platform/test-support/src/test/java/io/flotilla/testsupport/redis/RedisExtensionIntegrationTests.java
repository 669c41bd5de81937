package io.flotilla.testsupport.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisExtension.class)
class RedisExtensionIntegrationTests {

    @Test
    void closingDeletesOnlyThisTestsKeys(TestRedis redis) {
        TestRedis other = RedisServers.shared().newKeyspace();
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < 1200; i++) {
                connection.sync().set(redis.key("k" + i), "v");
            }
            connection.sync().set(other.key("kept"), "v");

            redis.close();

            assertThat(connection.sync().keys(redis.keyPrefix() + "*")).isEmpty();
            assertThat(connection.sync().get(other.key("kept"))).isEqualTo("v");
        } finally {
            other.close();
            client.shutdown();
        }
    }

    @Test
    void eachTestGetsADistinctPrefix(TestRedis first, TestRedis second) {
        assertThat(first.keyPrefix()).isNotEqualTo(second.keyPrefix()).startsWith("flotilla-test:");
    }
}

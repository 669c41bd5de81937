package io.flotilla.examples.payments;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same end-to-end transfers (TCC and XA) with payments' {@code @Locked} on the {@code redis} backend, set up
 * with nothing but the documented properties: {@code flotilla.lock.backend=redis} and {@code spring.data.redis.url}
 * (the local Redis; its own key prefix, so runs sharing the server never meet).
 */
class TransferEndToEndOnRedisLocksIntegrationTests extends TransferEndToEndIntegrationTests {

    private static final String KEY_PREFIX = "flotilla-examples:" + UUID.randomUUID() + ":";

    @DynamicPropertySource
    static void redisLocks(DynamicPropertyRegistry properties) {
        properties.add("flotilla.lock.backend", () -> "redis");
        properties.add("spring.data.redis.url", () -> "redis://127.0.0.1:6379");
        properties.add("flotilla.lock.key-prefix", () -> KEY_PREFIX);
    }

    @Autowired
    StringRedisTemplate redis;

    @Test
    void payerLockIsTakenOnRedis() {
        String fenceCounter = KEY_PREFIX + "{payer:carol}:fence";
        assertThat(redis.hasKey(fenceCounter)).isFalse();

        HttpStatus status = (HttpStatus) payments.post().uri("/api/transfers")
            .body(new TransferRequest("carol", "bob", 5))
            .retrieve()
            .onStatus(code -> true, (request, response) -> { })
            .toBodilessEntity()
            .getStatusCode();

        // carol has no wallet, so the transfer is refused; the lock was taken (its token counted up) and released
        assertThat(status).isEqualTo(HttpStatus.CONFLICT);
        assertThat(redis.opsForValue().get(fenceCounter)).isEqualTo("1");
        assertThat(redis.hasKey(KEY_PREFIX + "{payer:carol}")).isFalse();
    }

    @AfterAll
    void deleteLockKeys() {
        Set<String> keys = redis.keys(KEY_PREFIX + "*");
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys);
        }
    }
}

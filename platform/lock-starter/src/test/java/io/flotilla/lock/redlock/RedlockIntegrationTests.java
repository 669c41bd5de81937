package io.flotilla.lock.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockBackendException;
import io.flotilla.testsupport.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RedLock over five real, independent redis-server processes, some of them killed with SIGKILL. */
class RedlockIntegrationTests {

    private static final Duration LEASE = Duration.ofSeconds(10);

    private final List<RedisServerProcess> servers = new ArrayList<>();
    private RedlockBackend backend;

    @BeforeEach
    void startServers() {
        for (int i = 0; i < 5; i++) {
            servers.add(RedisServerProcess.start());
        }
        backend = new RedlockBackend(servers.stream().map(RedisServerProcess::uri).toList(), "test:",
                Duration.ofMillis(500));
    }

    @AfterEach
    void stopServers() {
        backend.close();
        servers.forEach(RedisServerProcess::close);
    }

    @Test
    void excludesOtherOwnersAndIssuesIncreasingTokens() throws Exception {
        long first = grant("stock", "a");
        assertThat(backend.acquire("stock", "b", LEASE, Duration.ZERO)).isEmpty();
        assertThat(backend.inspect("stock")).get().satisfies(state -> {
            assertThat(state.owner()).isEqualTo("a");
            assertThat(state.fencingToken()).isEqualTo(first);
        });
        assertThat(backend.release("stock", "b")).isFalse();
        assertThat(backend.release("stock", "a")).isTrue();
        assertThat(grant("stock", "b")).isGreaterThan(first);
    }

    @Test
    void keepsWorkingWithTwoOfFiveServersKilled() throws Exception {
        long before = grant("stock", "a");
        backend.release("stock", "a");
        servers.get(0).kill();
        servers.get(3).kill();

        long during = grant("stock", "b");
        assertThat(during).isGreaterThan(before);
        assertThat(backend.acquire("stock", "c", LEASE, Duration.ofMillis(300))).isEmpty();
        assertThat(backend.renew("stock", "b", LEASE)).isTrue();
        assertThat(backend.release("stock", "b")).isTrue();
        assertThat(grant("stock", "c")).isGreaterThan(during);
    }

    @Test
    void refusesWithThreeOfFiveServersKilled() throws Exception {
        long before = grant("stock", "a");
        servers.get(1).kill();
        servers.get(2).kill();
        servers.get(4).kill();

        assertThat(backend.renew("stock", "a", LEASE)).as("renewal without a majority").isFalse();
        assertThat(backend.release("stock", "a")).as("release without a majority").isFalse();
        assertThatThrownBy(() -> backend.acquire("stock", "b", LEASE, Duration.ofMillis(500)))
            .isInstanceOf(LockBackendException.class)
            .hasMessageContaining("only 2 of 5");
        assertThat(before).isPositive();
    }

    @Test
    void tokensKeepIncreasingWhenTheServerWithTheHighestCounterRestartsEmpty() throws Exception {
        servers.get(0).kill();
        long token = 0;
        for (int i = 0; i < 3; i++) {
            long next = grant("stock", "owner-" + i);
            assertThat(next).isGreaterThan(token);
            token = next;
            backend.release("stock", "owner-" + i);
        }
        servers.get(0).restart();
        servers.get(1).restart();
        // Servers 0 and 1 now count from zero; any majority still includes one of 2, 3, 4, which saw the last token.
        assertThat(grant("stock", "after-restart")).isGreaterThan(token);
    }

    @Test
    void threadBoundLocksRenewThroughTheWatchdog() throws Exception {
        try (DefaultLockRegistry registry = new DefaultLockRegistry(backend, Duration.ofMillis(1500))) {
            DistributedLock lock = registry.lock("watched");
            long token = lock.lock();
            Thread.sleep(3_500);
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            assertThat(backend.acquire("watched", "other", LEASE, Duration.ZERO)).isEmpty();
            assertThat(registry.lock("watched").fencingToken()).isEqualTo(token);
            lock.unlock();
            assertThat(backend.inspect("watched")).isEmpty();
        }
    }

    private long grant(String name, String owner) throws InterruptedException {
        Optional<LockBackend.Grant> grant = backend.acquire(name, owner, LEASE, Duration.ofSeconds(10));
        assertThat(grant).as("granted to " + owner).isPresent();
        return grant.get().fencingToken();
    }
}

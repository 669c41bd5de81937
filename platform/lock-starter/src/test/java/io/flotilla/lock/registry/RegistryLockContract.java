package io.flotilla.lock.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockState;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.testsupport.process.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry backend against a real registry-service node; one subclass per lease mode.
 */
abstract class RegistryLockContract {

    static final Duration LEASE = Duration.ofSeconds(10);
    static final String PREFIX = "flotilla/locks/";

    private static TestRegistry server;
    static RegistryClient client;
    private RegistryLockBackend backend;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void startRegistry() {
        server = TestRegistry.builder("lock-registry").start();
        client = RegistryClient.builder().address(server.address()).build();
    }

    @AfterAll
    static void stopRegistry() {
        server.close();
    }

    abstract RegistryLockBackend newBackend(RegistryClient registry, String prefix);

    @BeforeEach
    void createBackend() {
        backend = newBackend(client, PREFIX);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
        threads.shutdownNow();
    }

    static java.net.URI serverAddress() {
        return server.address();
    }

    RegistryLockBackend backend() {
        return backend;
    }

    @Test
    void waitersAreGrantedInTheOrderTheyArrived() throws Exception {
        String name = "fifo";
        long first = grant(name, "holder");
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String owner = "waiter-" + i;
            int queued = i + 1;
            waiters.add(threads.submit(() -> {
                LockBackend.Grant grant = backend.acquire(name, owner, LEASE, Duration.ofSeconds(60)).orElseThrow();
                order.add(owner);
                tokens.add(grant.fencingToken());
                assertThat(backend.release(name, owner)).isTrue();
                return null;
            }));
            // The next waiter starts only once this one's key is queued, so arrival order is known.
            awaitTrue(() -> queueLength(name) == queued, name + " queue did not reach " + queued);
        }
        assertThat(backend.release(name, "holder")).isTrue();
        for (Future<?> waiter : waiters) {
            waiter.get(120, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly("waiter-1", "waiter-2", "waiter-3", "waiter-4", "waiter-5");
        assertThat(tokens).isSorted().doesNotHaveDuplicates().allSatisfy(token -> assertThat(token).isGreaterThan(first));
    }

    @Test
    void excludesOthersAndRefusesNonHolders() throws Exception {
        long token = grant("exclusive", "a");
        assertThat(backend.acquire("exclusive", "b", LEASE, Duration.ZERO)).isEmpty();
        assertThat(queueLength("exclusive")).as("a timed-out contender leaves no key queued").isEqualTo(1);
        assertThat(backend.inspect("exclusive")).get().satisfies(state -> {
            assertThat(state.owner()).isEqualTo("a");
            assertThat(state.fencingToken()).isEqualTo(token);
        });
        assertThat(backend.release("exclusive", "b")).isFalse();
        assertThat(backend.renew("exclusive", "b", LEASE)).isFalse();
        assertThat(backend.renew("exclusive", "a", LEASE)).isTrue();
        assertThat(backend.release("exclusive", "a")).isTrue();
        assertThat(backend.inspect("exclusive")).isEmpty();
        assertThat(grant("exclusive", "b")).isGreaterThan(token);
        backend.release("exclusive", "b");
    }

    @Test
    void interruptedWaiterLeavesNoKeyBehind() throws Exception {
        grant("interrupted", "holder");
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            started.countDown();
            try {
                backend.acquire("interrupted", "waiter", LEASE, Duration.ofSeconds(60));
            } catch (InterruptedException expected) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        started.await();
        awaitTrue(() -> queueLength("interrupted") == 2, "waiter never queued");
        waiter.interrupt();
        waiter.join(30_000);
        assertThat(waiter.isAlive()).isFalse();
        awaitTrue(() -> queueLength("interrupted") == 1, "the interrupted waiter's key stayed queued");
        backend.release("interrupted", "holder");
    }

    @Test
    void threadBoundLocksAreReentrantAndRenewedByTheWatchdog() throws Exception {
        try (DefaultLockRegistry registry = new DefaultLockRegistry(backend, Duration.ofSeconds(2))) {
            DistributedLock lock = registry.lock("watched");
            long token = lock.lock();
            assertThat(registry.lock("watched").lock()).isEqualTo(token);
            Thread.sleep(4_500); // more than two leases: only renewal keeps it
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            assertThat(backend.inspect("watched")).get().extracting(LockState::fencingToken).isEqualTo(token);
            lock.unlock();
            lock.unlock();
            assertThat(backend.inspect("watched")).isEmpty();
        }
    }

    private long grant(String name, String owner) throws InterruptedException {
        return backend.acquire(name, owner, LEASE, Duration.ofSeconds(30)).orElseThrow().fencingToken();
    }

    private static int queueLength(String name) {
        return client.list(PREFIX + name + "/", QueryOptions.DEFAULT).value().size();
    }

    private static void awaitTrue(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.sleep(20);
        }
    }
}

package io.flotilla.lock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockListener;
import io.flotilla.lock.core.LockNotHeldException;
import io.flotilla.lock.core.LockState;
import io.flotilla.testsupport.redis.RedisExtension;
import io.flotilla.testsupport.redis.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RedisExtension.class)
class RedisLockIntegrationTests {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    private RedisLockBackend backend;
    private DefaultLockRegistry registry;
    private final AtomicInteger lostLeases = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void start(TestRedis redis) {
        backend = new RedisLockBackend(redis.uri(), redis.keyPrefix(), Duration.ofSeconds(5));
        registry = new DefaultLockRegistry(backend, Duration.ofMillis(1500), new LockListener() {
            @Override
            public void leaseLost(String type, String lockName) {
                lostLeases.incrementAndGet();
            }
        });
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        registry.close();
        backend.close();
    }

    @Test
    void fencingTokensStrictlyIncreaseAcrossHolders() throws Exception {
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            DistributedLock lock = registry.lock("orders");
            tokens.add(lock.lock());
            lock.unlock();
        }
        assertThat(tokens).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void reentrantHoldKeepsItsTokenAndNeedsAsManyUnlocks() throws Exception {
        DistributedLock lock = registry.lock("reentrant");
        long outer = lock.lock();
        assertThat(registry.lock("reentrant").tryLock(Duration.ZERO)).hasValue(outer);
        lock.unlock();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThat(otherThreadTryLock("reentrant", Duration.ZERO)).isEmpty();
        lock.unlock();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThat(otherThreadTryLock("reentrant", Duration.ZERO)).isPresent();
    }

    @Test
    void unlockByNonHolderIsRefusedAndLeavesTheLockHeld() throws Exception {
        DistributedLock lock = registry.lock("guarded");
        long token = lock.lock();
        Future<Throwable> otherUnlock = threads.submit(() -> {
            try {
                registry.lock("guarded").unlock();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        assertThat(otherUnlock.get(10, TimeUnit.SECONDS)).isInstanceOf(LockNotHeldException.class);
        assertThat(backend.release("guarded", "someone-else")).isFalse();
        assertThat(backend.inspect("guarded")).get().extracting(LockState::fencingToken).isEqualTo(token);
        lock.unlock();
        assertThat(backend.inspect("guarded")).isEmpty();
    }

    @Test
    void staleReleaseAfterExpiryCannotDeleteTheNextHoldersLock() throws Exception {
        LockBackend.Grant first = backend.acquire("stale", "first", Duration.ofMillis(50), Duration.ZERO).orElseThrow();
        LockBackend.Grant second = backend.acquire("stale", "second", Duration.ofSeconds(30), LONG_WAIT).orElseThrow();
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(backend.release("stale", "first")).isFalse();
        assertThat(backend.renew("stale", "first", Duration.ofSeconds(30))).isFalse();
        assertThat(backend.inspect("stale")).get().extracting(LockState::owner).isEqualTo("second");
    }

    @Test
    void ownerReacquiringGetsItsOwnTokenBack() throws Exception {
        LockBackend.Grant first = backend.acquire("again", "owner-1", Duration.ofSeconds(5), Duration.ZERO).orElseThrow();
        LockBackend.Grant again = backend.acquire("again", "owner-1", Duration.ofSeconds(5), Duration.ZERO).orElseThrow();
        assertThat(again.fencingToken()).isEqualTo(first.fencingToken());
    }

    @Test
    void watchdogKeepsTheLockPastItsLeaseWhileTheHolderLives() throws Exception {
        DistributedLock lock = registry.lock("watched");
        long token = lock.lock();
        Thread.sleep(3_500); // more than two 1.5 s leases
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThat(otherThreadTryLock("watched", Duration.ZERO)).isEmpty();
        assertThat(backend.inspect("watched")).get().extracting(LockState::fencingToken).isEqualTo(token);
        lock.unlock();
        assertThat(lostLeases).hasValue(0);
    }

    @Test
    void watchdogStopsWhenTheHoldingThreadDies() throws Exception {
        Thread holder = new Thread(() -> {
            try {
                registry.lock("orphan").lock();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holder.start();
        holder.join();
        assertThat(backend.inspect("orphan")).isPresent();
        // Free within the 1.5 s lease plus a watchdog tick once the dead holder is noticed; generous for a busy box.
        assertThat(registry.lock("orphan").tryLock(LONG_WAIT)).isPresent();
    }

    @Test
    void fixedLeaseExpiresWithoutRenewalAndItsUnlockIsRefused() throws Exception {
        DistributedLock lock = registry.lock("fixed");
        long token = lock.tryLock(Duration.ZERO, Duration.ofMillis(200)).orElseThrow();
        OptionalLong next = otherThreadTryLock("fixed", LONG_WAIT);
        assertThat(next).isPresent();
        assertThat(next.getAsLong()).isGreaterThan(token);
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThatThrownBy(lock::unlock).isInstanceOf(LockNotHeldException.class).hasMessageContaining("ran out");
        assertThat(lostLeases).hasValue(1);
    }

    @Test
    void waiterIsWokenByTheReleaseNotByTheLeaseRunningOut() throws Exception {
        DistributedLock lock = registry.lock("wake");
        lock.tryLock(Duration.ZERO, Duration.ofMinutes(5)).orElseThrow();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<OptionalLong> waiter = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return registry.lock("wake").tryLock(Duration.ofSeconds(60), Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        waiting.await();
        Thread.sleep(300);
        lock.unlock();
        // The holder's lease had five minutes left: only the release message can have woken the waiter in time.
        assertThat(waiter.get(60, TimeUnit.SECONDS)).isPresent();
    }

    @Test
    void threadsOfOneProcessExcludeEachOther() throws Exception {
        int[] counter = new int[1];
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            workers.add(threads.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    DistributedLock lock = registry.lock("counter");
                    lock.lock();
                    try {
                        int read = counter[0];
                        Thread.onSpinWait();
                        counter[0] = read + 1;
                    } finally {
                        lock.unlock();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(120, TimeUnit.SECONDS);
        }
        assertThat(counter[0]).isEqualTo(200);
    }

    @Test
    void interruptedWaiterLeavesNoLockBehind() throws Exception {
        DistributedLock lock = registry.lock("interrupted");
        lock.lock();
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            started.countDown();
            try {
                registry.lock("interrupted").lock();
            } catch (InterruptedException expected) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        started.await();
        Thread.sleep(200);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        long token = lock.fencingToken();
        lock.unlock();
        assertThat(backend.inspect("interrupted")).isEmpty();
        assertThat(otherThreadTryLock("interrupted", Duration.ZERO).getAsLong()).isGreaterThan(token);
    }

    private OptionalLong otherThreadTryLock(String name, Duration wait) throws Exception {
        return threads.submit(() -> {
            DistributedLock lock = registry.lock(name);
            OptionalLong token = lock.tryLock(wait);
            if (token.isPresent()) {
                lock.unlock();
            }
            return token;
        }).get(wait.toSeconds() + 30, TimeUnit.SECONDS);
    }
}

package io.flotilla.bench.lock;

import java.time.Duration;
import java.util.UUID;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.redis.RedisLockBackend;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Flotilla's {@code redis} lock backend against Redisson's {@code RLock}, on the same Redis server in the same
 * run: uncontended lock+unlock pairs/s and p99 (one thread), then contended throughput (16 threads, one name).
 * Both take the lock without a lease time, so both run their watchdog.
 *
 * <pre>
 * java -cp bench/target/flotilla-bench.jar io.flotilla.bench.lock.RedisLockVsRedissonBenchmark \
 *     [redis-uri=redis://127.0.0.1:6379] [seconds=10] [rounds=3] [threads=16]
 * </pre>
 */
public final class RedisLockVsRedissonBenchmark {

    public static void main(String[] args) throws Exception {
        String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        String run = UUID.randomUUID().toString().substring(0, 8);
        System.out.println("Redis " + uri + ", run " + run + ", Java " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        try (FlotillaTarget flotilla = new FlotillaTarget(uri, "bench:" + run + ":flotilla:");
                RedissonTarget redisson = new RedissonTarget(uri, "bench:" + run + ":redisson:")) {
            LockBenchmark.compare(flotilla, redisson, "uncontended", 1, seconds, rounds);
            LockBenchmark.compare(flotilla, redisson, "contended", threads, seconds, rounds);
        }
    }

    static final class FlotillaTarget implements LockBenchmark.Target {

        private final RedisLockBackend backend;
        private final DefaultLockRegistry registry;
        private final String prefix;

        FlotillaTarget(String uri, String prefix) {
            this.backend = new RedisLockBackend(uri, prefix, Duration.ofSeconds(5));
            this.registry = new DefaultLockRegistry(backend, Duration.ofSeconds(30));
            this.prefix = prefix;
        }

        @Override
        public String name() {
            return "flotilla";
        }

        @Override
        public void lockUnlock(String lockName) throws InterruptedException {
            DistributedLock lock = registry.lock(lockName);
            lock.lock();
            lock.unlock();
        }

        @Override
        public void close() {
            registry.close();
            backend.close();
        }

        @Override
        public String toString() {
            return prefix;
        }
    }

    static final class RedissonTarget implements LockBenchmark.Target {

        private final RedissonClient client;
        private final String prefix;

        RedissonTarget(String uri, String prefix) {
            Config config = new Config();
            config.useSingleServer().setAddress(uri);
            this.client = Redisson.create(config);
            this.prefix = prefix;
        }

        @Override
        public String name() {
            return "redisson";
        }

        @Override
        public void lockUnlock(String lockName) {
            RLock lock = client.getLock(prefix + lockName);
            lock.lock();
            lock.unlock();
        }

        @Override
        public void close() {
            client.shutdown();
        }
    }
}

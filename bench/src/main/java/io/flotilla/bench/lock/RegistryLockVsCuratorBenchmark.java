package io.flotilla.bench.lock;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.registry.RegistryLockBackend;
import io.flotilla.registry.client.Consistency;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;

/**
 * Flotilla's {@code registry} lock backend (a running registry-service node) against Apache Curator's
 * {@code InterProcessMutex} on a ZooKeeper started in this JVM by {@code curator-test}, in the same run:
 * uncontended lock+unlock pairs/s and p99, then contended throughput (16 threads, one name). Both are the same
 * recipe (sequential node or key per acquisition, lowest holds, watch the predecessor).
 *
 * <pre>
 * java -cp bench/target/flotilla-bench.jar io.flotilla.bench.lock.RegistryLockVsCuratorBenchmark \
 *     http://127.0.0.1:8500 [seconds=10] [rounds=3] [threads=16]
 * </pre>
 */
public final class RegistryLockVsCuratorBenchmark {

    public static void main(String[] args) throws Exception {
        URI registry = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8500");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        String run = UUID.randomUUID().toString().substring(0, 8);
        System.out.println("registry " + registry + ", run " + run + ", Java " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        try (FlotillaTarget flotilla = new FlotillaTarget(registry, "bench/" + run + "/");
                CuratorTarget curator = new CuratorTarget("/bench/" + run + "/")) {
            LockBenchmark.compare(flotilla, curator, "uncontended", 1, seconds, rounds);
            LockBenchmark.compare(flotilla, curator, "contended", threads, seconds, rounds);
        }
        // The floor of any lock on the registry's HTTP API: an uncontended lock+unlock needs at least two requests
        // (a create and a delete). Two stale GETs of one small key, with the same client, cost no Raft round and no
        // fsync, so their rate is an upper bound for the recipe on this machine, measured in the same run.
        try (HttpFloorTarget floor = new HttpFloorTarget(registry, "bench/" + run + "/floor");
                CuratorTarget curator = new CuratorTarget("/bench/" + run + "-floor/")) {
            LockBenchmark.compare(floor, curator, "HTTP floor: two stale GETs per pair vs Curator uncontended", 1,
                    seconds, rounds);
        }
    }

    static final class HttpFloorTarget implements LockBenchmark.Target {

        private static final QueryOptions STALE = QueryOptions.DEFAULT.withConsistency(Consistency.STALE);

        private final RegistryClient client;
        private final String key;

        HttpFloorTarget(URI address, String key) {
            this.client = RegistryClient.builder().address(address).build();
            this.key = key;
            client.put(key, "floor", RegistryClient.ANY_VERSION, RegistryClient.NO_LEASE);
        }

        @Override
        public String name() {
            return "http-floor";
        }

        @Override
        public void lockUnlock(String lockName) {
            client.get(key, STALE);
            client.get(key, STALE);
        }

        @Override
        public void close() {
            client.delete(key, RegistryClient.ANY_VERSION);
        }
    }

    static final class FlotillaTarget implements LockBenchmark.Target {

        private final RegistryLockBackend backend;
        private final DefaultLockRegistry registry;

        FlotillaTarget(URI address, String prefix) {
            this.backend = RegistryLockBackend.withSession(RegistryClient.builder().address(address).build(), prefix,
                    Duration.ofSeconds(10));
            this.registry = new DefaultLockRegistry(backend, Duration.ofSeconds(10));
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
    }

    static final class CuratorTarget implements LockBenchmark.Target {

        private final TestingServer zookeeper;
        private final CuratorFramework client;
        private final String prefix;
        private final Map<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();

        CuratorTarget(String prefix) throws Exception {
            this.zookeeper = new TestingServer(true);
            this.client = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new ExponentialBackoffRetry(100, 3));
            this.client.start();
            this.client.blockUntilConnected();
            this.prefix = prefix;
        }

        @Override
        public String name() {
            return "curator";
        }

        @Override
        public void lockUnlock(String lockName) throws Exception {
            // One mutex per name shared by the threads, as Curator recommends (it tracks holders per thread).
            InterProcessMutex mutex = mutexes.computeIfAbsent(lockName, name -> new InterProcessMutex(client, prefix + name));
            mutex.acquire();
            mutex.release();
        }

        @Override
        public void close() throws Exception {
            client.close();
            zookeeper.close();
        }
    }
}

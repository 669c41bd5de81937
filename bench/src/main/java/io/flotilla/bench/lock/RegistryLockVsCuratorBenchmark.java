package io.flotilla.bench.lock;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

/**
 * Flotilla's {@code registry} lock backend (running registry-service nodes) against Apache Curator's
 * {@code InterProcessMutex} on a running ZooKeeper server (Debian's {@code zookeeper} package; a real server process,
 * not {@code curator-test}'s in-JVM one), in the same run: uncontended lock+unlock pairs/s and p99, then contended
 * throughput (16 threads, one name). Both are the same recipe (sequential node or key per acquisition, lowest holds,
 * watch the predecessor). {@code bench/lock-vs-zookeeper.sh} starts both clusters and runs this.
 *
 * <pre>
 * java -cp bench/target/flotilla-bench.jar io.flotilla.bench.lock.RegistryLockVsCuratorBenchmark \
 *     http://127.0.0.1:8500[,http://...] 127.0.0.1:2181[,...] [seconds=10] [rounds=3] [threads=16] [warm-up seconds=60]
 * </pre>
 *
 * The registry addresses are tried in the order given (put the leader first to compare leader against leader);
 * the ZooKeeper connect string is Curator's.
 */
public final class RegistryLockVsCuratorBenchmark {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: registry-addresses zookeeper-connect-string [seconds] [rounds] "
                    + "[threads] [warm-up seconds]");
        }
        List<URI> registry = Arrays.stream(args[0].split(",")).map(URI::create).toList();
        String zookeeper = args[1];
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        double warmup = args.length > 5 ? Double.parseDouble(args[5]) : 60;
        String run = UUID.randomUUID().toString().substring(0, 8);
        System.out.println("registry " + registry + ", zookeeper " + zookeeper + ", run " + run + ", Java "
                + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        try (FlotillaTarget flotilla = new FlotillaTarget(registry, "bench/" + run + "/");
                CuratorTarget curator = new CuratorTarget(zookeeper, "/bench/" + run + "/")) {
            // Both servers are fresh processes: run each side alone until the JIT has compiled its hot path, so
            // that the rounds compare steady states (each scenario still has its own short warm-up).
            if (warmup > 0) {
                System.out.printf(Locale.ROOT, "warm-up: %.0f s of each side, 1 and %d threads%n", warmup,
                        threads);
                for (LockBenchmark.Target target : List.of(flotilla, curator)) {
                    LockBenchmark.run(target, "warmup-" + target.name(), 1, warmup / 2);
                    LockBenchmark.run(target, "warmup-" + target.name(), threads, warmup / 2);
                }
            }
            LockBenchmark.compare(flotilla, curator, "uncontended", 1, seconds, rounds);
            LockBenchmark.compare(flotilla, curator, "contended", threads, seconds, rounds);
        }
        // The floor of any lock on the registry's HTTP API: an uncontended lock+unlock needs at least two requests
        // (a create and a delete). Two stale GETs of one small key, with the same client, cost no Raft round and no
        // fsync, so their rate is an upper bound for the recipe on this machine, measured in the same run.
        try (HttpFloorTarget floor = new HttpFloorTarget(registry, "bench/" + run + "/floor");
                CuratorTarget curator = new CuratorTarget(zookeeper, "/bench/" + run + "-floor/")) {
            LockBenchmark.compare(floor, curator, "HTTP floor: two stale GETs per pair vs Curator uncontended", 1,
                    seconds, rounds);
        }
        // The write floor: a lock+unlock is two writes on either side (create and delete), so two plain writes per
        // pair, with the same clients, show what the replicated write path costs without any lock recipe.
        try (RegistryWriteFloorTarget registryWrites = new RegistryWriteFloorTarget(registry, "bench/" + run + "/w");
                ZooKeeperWriteFloorTarget zookeeperWrites = new ZooKeeperWriteFloorTarget(zookeeper,
                        "/bench/" + run + "-w")) {
            LockBenchmark.compare(registryWrites, zookeeperWrites, "write floor: two plain writes per pair", 1,
                    seconds, rounds);
        }
    }

    /**
     * The write floor of a lock+unlock on the registry: two blind KV puts of one small key (each a Raft entry
     * fsynced on a quorum, like the lock's create and delete, without any lock logic).
     */
    static final class RegistryWriteFloorTarget implements LockBenchmark.Target {

        private final RegistryClient client;
        private final String key;

        RegistryWriteFloorTarget(List<URI> addresses, String key) {
            this.client = RegistryClient.builder().addresses(addresses).build();
            this.key = key;
        }

        @Override
        public String name() {
            return "reg-writes";
        }

        @Override
        public void lockUnlock(String lockName) {
            client.put(key, "a", RegistryClient.ANY_VERSION, RegistryClient.NO_LEASE);
            client.put(key, "b", RegistryClient.ANY_VERSION, RegistryClient.NO_LEASE);
        }

        @Override
        public void close() {
            client.delete(key, RegistryClient.ANY_VERSION);
        }
    }

    /** ZooKeeper's write floor: two {@code setData} of one small node (each a transaction fsynced on a quorum). */
    static final class ZooKeeperWriteFloorTarget implements LockBenchmark.Target {

        private final CuratorFramework client;
        private final String path;

        ZooKeeperWriteFloorTarget(String connectString, String path) throws Exception {
            this.client = CuratorFrameworkFactory.newClient(connectString, new ExponentialBackoffRetry(100, 3));
            this.client.start();
            this.client.blockUntilConnected();
            this.path = path;
            client.create().creatingParentsIfNeeded().forPath(path, new byte[] {'x'});
        }

        @Override
        public String name() {
            return "zk-writes";
        }

        @Override
        public void lockUnlock(String lockName) throws Exception {
            client.setData().forPath(path, new byte[] {'a'});
            client.setData().forPath(path, new byte[] {'b'});
        }

        @Override
        public void close() throws Exception {
            client.delete().forPath(path);
            client.close();
        }
    }

    static final class HttpFloorTarget implements LockBenchmark.Target {

        private static final QueryOptions STALE = QueryOptions.DEFAULT.withConsistency(Consistency.STALE);

        private final RegistryClient client;
        private final String key;

        HttpFloorTarget(List<URI> addresses, String key) {
            this.client = RegistryClient.builder().addresses(addresses).build();
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

        FlotillaTarget(List<URI> addresses, String prefix) {
            this.backend = RegistryLockBackend.withSession(RegistryClient.builder().addresses(addresses).build(), prefix,
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

        private final CuratorFramework client;
        private final String prefix;
        private final Map<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();

        CuratorTarget(String connectString, String prefix) throws Exception {
            this.client = CuratorFrameworkFactory.newClient(connectString, new ExponentialBackoffRetry(100, 3));
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
        }
    }
}

package io.flotilla.bench.registry;

import io.flotilla.bench.raft.ClosedLoopDriver;
import io.flotilla.bench.raft.EtcdTarget;
import io.flotilla.registry.client.RegistryClient;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's figures against a baseline measured in the same run:
 * <ol>
 *   <li>KV puts/s at {@code --clients} closed-loop clients: the registry starter's {@code RegistryClient} (HTTP/JSON)
 *       vs. etcd 3.4's jetcd (gRPC), same driver, both given every node;</li>
 *   <li>registrations/s (lease grant + register: two log writes) vs. the registry's own KV puts/s;</li>
 *   <li>heartbeat capacity: N instances heartbeating every 5 s (open loop), the leader's CPU in cores, against
 *       the same rate of KV puts (what a heartbeat written to the log would cost);</li>
 *   <li>time from an instance's last heartbeat to its disappearance from a watching client (blocking queries at
 *       a follower), against its TTL.</li>
 * </ol>
 *
 * <pre>
 * --nodes=http://127.0.0.1:18501,...   registry HTTP endpoints (a running 3-node cluster)
 * --pids=n1:123,n2:124,n3:125          process id of each node, to read the leader's CPU time
 * --etcd=http://127.0.0.1:23791,...    etcd endpoints (optional: without it the etcd row is skipped)
 * --clients=64 --seconds=10 --heartbeat-instances=1000,5000,10000 --ttl-seconds=3 --death-runs=3
 * --kv-only                            only the KV puts (etcd, then the registry), for interleaved rounds
 * </pre>
 *
 * Started by {@code bench/registry-bench.sh}, which also starts the registry and etcd clusters.
 */
public final class RegistryBenchmark {

    private static final Pattern LEADER = Pattern.compile("\"leaderId\":\"([^\"]+)\"");

    private RegistryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/flotilla/bench/raft/logback-raft-vs-etcd.xml");
        }
        Map<String, String> options = parse(args);
        List<String> nodes = List.of(require(options, "nodes").split(","));
        Map<String, Long> pids = new HashMap<>();
        for (String pid : require(options, "pids").split(",")) {
            pids.put(pid.substring(0, pid.indexOf(':')), Long.parseLong(pid.substring(pid.indexOf(':') + 1)));
        }
        int clients = Integer.parseInt(options.getOrDefault("clients", "64"));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        Duration warmup = Duration.ofMillis(Math.max(2000, measure.toMillis() / 3));
        int[] heartbeatCounts = Arrays.stream(options.getOrDefault("heartbeat-instances", "1000,5000,10000")
                .split(",")).mapToInt(Integer::parseInt).toArray();
        int ttlSeconds = Integer.parseInt(options.getOrDefault("ttl-seconds", "3"));
        int deathRuns = Integer.parseInt(options.getOrDefault("death-runs", "3"));

        String leaderId = leaderId(new RegistryHttp(nodes.getFirst()));
        RegistryHttp leader = new RegistryHttp(nodes.get(Integer.parseInt(leaderId.substring(1)) - 1));
        RegistryHttp follower = new RegistryHttp(nodes.stream().filter(n -> !n.equals(leader.baseUrl())).findFirst()
                .orElseThrow());
        long leaderPid = pids.get(leaderId);
        System.out.println("leader " + leaderId + " at " + leader.baseUrl() + " (pid " + leaderPid + ")");

        // 1 + 2: puts and registrations, closed loop, same driver.
        List<ClosedLoopDriver.Result> results = new ArrayList<>();
        if (options.containsKey("etcd")) {
            try (EtcdTarget etcd = EtcdTarget.connect(Duration.ofSeconds(30), options.get("etcd").split(","))) {
                results.add(new ClosedLoopDriver(etcd, clients, 100).run(warmup, measure));
                print(results.getLast());
            }
        }
        // Every node in the order given, as an application configures them; the client finds the leader itself
        // (GET /v1/cluster), as jetcd is given every etcd endpoint.
        RegistryClient registryClient = RegistryClient.builder().addresses(nodes.stream().map(URI::create).toList())
                .build();
        try (RegistryKvTarget kvTarget = new RegistryKvTarget(registryClient, clients)) {
            results.add(new ClosedLoopDriver(kvTarget, clients, 100).run(warmup, measure));
        }
        print(results.getLast());
        ClosedLoopDriver.Result kv = results.getLast();
        if (options.containsKey("kv-only")) {
            double etcdPuts = results.getFirst().target().equals("etcd") ? results.getFirst().opsPerSecond() : 0;
            System.out.printf("KV puts, %d clients: registry %.0f/s, etcd %.0f/s, %.2f x etcd; load average %s%n",
                    clients, kv.opsPerSecond(), etcdPuts, etcdPuts > 0 ? kv.opsPerSecond() / etcdPuts : 0,
                    loadAverage());
            System.exit(0);
        }
        results.add(new ClosedLoopDriver(new RegistrationTarget(leader, "r" + System.currentTimeMillis()), clients, 0)
                .run(warmup, measure));
        print(results.getLast());
        ClosedLoopDriver.Result registrations = results.getLast();

        // 3: heartbeat capacity.
        List<String> heartbeatRows = new ArrayList<>();
        for (int instances : heartbeatCounts) {
            String service = "hb" + instances + "-" + System.currentTimeMillis();
            registerMany(leader, service, instances);
            OpenLoop beats = openLoop(instances / 5.0, measure, leaderPid,
                    i -> leader.send("PUT", "/v1/services/" + service + "/instances/i" + (i % instances) + "/heartbeat",
                            null, null));
            OpenLoop puts = openLoop(instances / 5.0, measure, leaderPid,
                    i -> leader.send("PUT", "/v1/kv/hbbase/" + (i % instances), null, new byte[100]));
            heartbeatRows.add(String.format("| %d | %.0f | %.2f | %.1f | %.2f | %d | %.2f | %.1f | %.2f |", instances,
                    instances / 5.0, beats.cores(), beats.cpuMicrosPerOp(), beats.p99Millis(), beats.errors(),
                    puts.cores(), puts.cpuMicrosPerOp(), puts.cpuMicrosPerOp() / Math.max(0.001,
                            beats.cpuMicrosPerOp())));
            System.out.println(heartbeatRows.getLast());
        }

        // 4: death to disappearance, watched at a follower.
        List<String> deathRows = new ArrayList<>();
        for (int run = 0; run < deathRuns; run++) {
            double seconds = deathToDisappearance(leader, follower, ttlSeconds, "death" + run + "-"
                    + System.currentTimeMillis());
            deathRows.add(String.format("| %d | %d | %.2f | %.2f |", run + 1, ttlSeconds, seconds, seconds / ttlSeconds));
            System.out.println(deathRows.getLast());
        }

        System.out.println();
        System.out.println("KV puts and registrations, " + clients + " closed-loop clients, 100-byte values:");
        System.out.println("| target | clients | ops/s | p50 ms | p99 ms | errors | ratio |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        double etcdOps = results.stream().filter(r -> r.target().equals("etcd")).mapToDouble(
                ClosedLoopDriver.Result::opsPerSecond).findFirst().orElse(0);
        for (ClosedLoopDriver.Result result : results) {
            String ratio = switch (result.target()) {
                case "registry-kv" -> etcdOps > 0 ? String.format("%.2f x etcd", kv.opsPerSecond() / etcdOps) : "";
                case "registration" -> String.format("%.2f x registry-kv", registrations.opsPerSecond()
                        / kv.opsPerSecond());
                default -> "";
            };
            System.out.printf("| %s | %d | %.0f | %.2f | %.2f | %d | %s |%n", result.target(), result.clients(),
                    result.opsPerSecond(), result.p50Millis(), result.p99Millis(), result.errors(), ratio);
        }
        System.out.println();
        System.out.println("Heartbeats every 5 s, open loop, leader CPU (user+system) over " + measure.toSeconds()
                + " s; baseline: KV puts at the same rate:");
        System.out.println("| instances | heartbeats/s | leader cores | CPU us/heartbeat | p99 ms | errors "
                + "| cores at same rate of puts | CPU us/put | put/heartbeat CPU |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        heartbeatRows.forEach(System.out::println);
        System.out.println();
        System.out.println("Instance death (last heartbeat answered) to disappearance at a watching follower:");
        System.out.println("| run | TTL s | seconds to disappear | / TTL |");
        System.out.println("|---:|---:|---:|---:|");
        deathRows.forEach(System.out::println);
        System.out.println();
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadAverage() + " (the load driver and etcd share these cores).");
        System.exit(0);
    }

    private static String leaderId(RegistryHttp node) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            Matcher matcher = LEADER.matcher(node.sendAndWait("GET", "/v1/cluster", null));
            if (matcher.find()) {
                return matcher.group(1);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no leader");
    }

    private static void registerMany(RegistryHttp leader, String service, int instances) {
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            inFlight.acquireUninterruptibly();
            CompletableFuture<String> registered = leader.send("POST", "/v1/services/" + service + "/instances",
                    "{\"instanceId\":\"i" + i + "\",\"host\":\"10.0.0.1\",\"port\":8080,\"ttlSeconds\":600}", null);
            registered.whenComplete((body, failure) -> inFlight.release());
            all.add(registered);
        }
        all.forEach(CompletableFuture::join);
    }

    private record OpenLoop(double cores, double cpuMicrosPerOp, double p99Millis, long errors) {
    }

    /** Sends {@code ratePerSecond} calls, evenly spread, for {@code duration}; reads the leader's CPU time around it. */
    private static OpenLoop openLoop(double ratePerSecond, Duration duration, long pid,
                                     java.util.function.LongFunction<CompletableFuture<String>> call)
            throws InterruptedException {
        Histogram latencies = new Histogram(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        Semaphore outstanding = new Semaphore(4096);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long cpuBefore = cpuNanos(pid);
        ticker.scheduleAtFixedRate(() -> {
            long due = (long) ((System.nanoTime() - start) / 1e9 * ratePerSecond);
            while (sent.get() < due) {
                long i = sent.getAndIncrement();
                if (!outstanding.tryAcquire()) {
                    errors.incrementAndGet();
                    continue;
                }
                long callStart = System.nanoTime();
                call.apply(i).whenComplete((body, failure) -> {
                    outstanding.release();
                    if (failure != null) {
                        errors.incrementAndGet();
                    } else {
                        synchronized (latencies) {
                            latencies.recordValue(Math.max(1, System.nanoTime() - callStart));
                        }
                        done.incrementAndGet();
                    }
                });
            }
        }, 0, 5, TimeUnit.MILLISECONDS);
        Thread.sleep(duration.toMillis());
        ticker.shutdownNow();
        long wall = System.nanoTime() - start;
        long cpu = cpuNanos(pid) - cpuBefore;
        outstanding.tryAcquire(4096, 30, TimeUnit.SECONDS);
        double p99;
        synchronized (latencies) {
            p99 = latencies.getValueAtPercentile(99) / 1e6;
        }
        return new OpenLoop(cpu / (double) wall, cpu / 1e3 / Math.max(1, done.get()), p99, errors.get());
    }

    /** utime + stime of a process from /proc, in nanoseconds (clock ticks of 10 ms, the Linux default USER_HZ). */
    private static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CPU time of pid " + pid, e);
        }
    }

    /**
     * Registers an instance with {@code ttlSeconds}, heartbeats once, then stops; a client blocks on the service
     * at a follower until the instance is gone. Returns seconds from the last heartbeat's answer to the watcher
     * seeing it gone.
     */
    private static double deathToDisappearance(RegistryHttp leader, RegistryHttp follower, int ttlSeconds,
                                               String service) {
        leader.sendAndWait("POST", "/v1/services/" + service + "/instances",
                "{\"instanceId\":\"doomed\",\"host\":\"10.0.0.1\",\"port\":8080,\"ttlSeconds\":" + ttlSeconds + "}");
        leader.sendAndWait("PUT", "/v1/services/" + service + "/instances/doomed/heartbeat", null);
        long lastHeartbeat = System.nanoTime();
        String body;
        // The follower is read stale: first wait until it has applied the registration, or a lagging follower's
        // empty answer would be taken for the disappearance.
        do {
            body = follower.sendAndWait("GET", "/v1/services/" + service + "/instances?consistency=stale", null);
        } while (!body.contains("doomed"));
        do {
            // Blocks until the service changes (or 30 s): the answer arrives as soon as the expiry is applied.
            body = follower.sendAndWait("GET", "/v1/services/" + service + "/instances?consistency=stale&index="
                    + (lastKnownIndex(follower, service)) + "&wait=30s", null);
        } while (body.contains("doomed"));
        return (System.nanoTime() - lastHeartbeat) / 1e9;
    }

    private static long lastKnownIndex(RegistryHttp node, String service) {
        // The instance's own registration is the service's latest change until it expires.
        String body = node.sendAndWait("GET", "/v1/services/" + service + "/instances?consistency=stale", null);
        Matcher matcher = Pattern.compile("\"modIndex\":(\\d+)").matcher(body);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static void print(ClosedLoopDriver.Result result) {
        System.out.printf("%-13s %4d clients: %8.0f ops/s, p50 %.2f ms, p99 %.2f ms, %d errors, client CPU %.0f us/op%n",
                result.target(), result.clients(), result.opsPerSecond(), result.p50Millis(), result.p99Millis(),
                result.errors(), result.clientCpuMicrosPerOp());
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --name=value or --flag, got " + arg);
            }
            if (!arg.contains("=")) {
                options.put(arg.substring(2), "true");
                continue;
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing --" + name + "=...");
        }
        return value;
    }
}

package io.flotilla.bench.registry;

import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.client.Indexed;
import io.flotilla.registry.client.InstanceSpec;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.client.RegistryWatch;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * How fast a discovering client learns about registry changes: the blocking-query watch the registry starter's
 * discovery cache uses, against a client that polls every {@code pollInterval} (what a discovery cache without
 * watches does; Spring Cloud LoadBalancer's default cache refreshes every 35 s, Eureka clients every 30 s). Both
 * observe the same changes in the same run.
 * <ol>
 * <li><b>Propagation</b>: {@code rounds} registrations, one at a time; the time from sending the registration to
 * each observer seeing the instance.</li>
 * <li><b>Death to disappearance</b>: {@code deaths} instances registered with a TTL and never heartbeated; the
 * time from the registration's acknowledgement (the lease's last renewal) to each observer seeing the instance
 * gone. The registry may drop it no earlier than the TTL; the excess over the TTL is the expiry machinery
 * (leader timer check, log write) plus propagation.</li>
 * </ol>
 * Self-contained: starts the registry jar as a child process (single node, fsync'd log in a temp dir) on free
 * ports, measures, stops it.
 * <pre>
 * java -cp bench/target/flotilla-bench.jar io.flotilla.bench.registry.WatchLatencyDriver \
 *     registry-service/target/registry-service-exec.jar [rounds=50] [deaths=5] [ttlSeconds=2] [pollMillis=1000]
 * </pre>
 */
public final class WatchLatencyDriver {

    private WatchLatencyDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: WatchLatencyDriver <registry-service-exec.jar> [rounds] [deaths] [ttlSeconds] "
                    + "[pollMillis]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int deaths = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int ttlSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Duration pollInterval = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 1000);

        int httpPort = freePort();
        int raftPort = freePort();
        Path dataDir = Files.createTempDirectory("flotilla-watch-bench");
        Process registry = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=" + httpPort, "--flotilla.registry.server.raft-port=" + raftPort,
                "--flotilla.registry.server.data-dir=" + dataDir, "--flotilla.registry.enabled=false")
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("registry.log").toFile())
            .start();
        try {
            URI address = URI.create("http://127.0.0.1:" + httpPort);
            awaitLeader(address);
            RegistryClient client = RegistryClient.builder().address(address).build();
            System.out.printf("registry %s, load average %s%n", address, loadAverage());
            propagation(client, rounds, pollInterval);
            deathToDisappearance(client, deaths, ttlSeconds, pollInterval);
            System.out.printf("load average after: %s%n", loadAverage());
        }
        finally {
            registry.destroy();
            registry.waitFor();
        }
    }

    private static void propagation(RegistryClient client, int rounds, Duration pollInterval) throws Exception {
        String service = "bench-propagation";
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> watchSaw = new ConcurrentHashMap<>();
        Map<String, Long> pollSaw = new ConcurrentHashMap<>();
        try (RegistryWatch<List<InstanceView>> watch = RegistryWatch.start("bench",
                options -> client.instances(service, options), Duration.ofSeconds(30),
                answer -> record(answer.value(), watchSaw));
                Poller poller = new Poller(client, service, pollInterval, instances -> record(instances, pollSaw))) {
            Thread.sleep(500);
            for (int i = 0; i < rounds; i++) {
                String id = "p-" + i;
                sentAt.put(id, System.nanoTime());
                client.register(service, new InstanceSpec(id, "127.0.0.1", 10_000 + i, false, Map.of(), "", 1,
                        Duration.ofSeconds(300)));
                awaitSeen(id, watchSaw, pollSaw, pollInterval.multipliedBy(3));
                // Spread registrations over the poll period so the baseline is not measured at one phase.
                Thread.sleep(37 + (i * 97L) % Math.max(1, pollInterval.toMillis()));
            }
        }
        double[] watch = latenciesMillis(sentAt, watchSaw);
        double[] poll = latenciesMillis(sentAt, pollSaw);
        System.out.printf("%nPropagation of a registration (%d rounds), ms from sending it to the observer seeing it%n",
                rounds);
        printRow("blocking-query watch", watch);
        printRow("poll every " + pollInterval.toMillis() + " ms", poll);
        System.out.printf("ratio poll / watch: p50 %.1fx, mean %.1fx%n", percentile(poll, 50) / percentile(watch, 50),
                mean(poll) / mean(watch));
    }

    private static void deathToDisappearance(RegistryClient client, int deaths, int ttlSeconds, Duration pollInterval)
            throws Exception {
        String service = "bench-deaths";
        Map<String, Long> lastRenewal = new ConcurrentHashMap<>();
        Map<String, Long> watchSawGone = new ConcurrentHashMap<>();
        Map<String, Long> pollSawGone = new ConcurrentHashMap<>();
        Set<String> watchSawPresent = ConcurrentHashMap.newKeySet();
        Set<String> pollSawPresent = ConcurrentHashMap.newKeySet();
        try (RegistryWatch<List<InstanceView>> watch = RegistryWatch.start("bench-deaths",
                options -> client.instances(service, options), Duration.ofSeconds(30),
                answer -> recordGone(answer.value(), watchSawPresent, watchSawGone));
                Poller poller = new Poller(client, service, pollInterval,
                        instances -> recordGone(instances, pollSawPresent, pollSawGone))) {
            for (int i = 0; i < deaths; i++) {
                String id = "d-" + i;
                client.register(service, new InstanceSpec(id, "127.0.0.1", 20_000 + i, false, Map.of(), "", 1,
                        Duration.ofSeconds(ttlSeconds)));
                lastRenewal.put(id, System.nanoTime());
                long deadline = System.nanoTime() + Duration.ofSeconds(ttlSeconds * 3L + 10).toNanos();
                while ((!watchSawGone.containsKey(id) || !pollSawGone.containsKey(id)) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
        }
        double[] watch = latenciesMillis(lastRenewal, watchSawGone);
        double[] poll = latenciesMillis(lastRenewal, pollSawGone);
        System.out.printf("%nDeath to disappearance (%d instances, TTL %d s, no heartbeat after registering), ms from the "
                + "last renewal to the observer seeing the instance gone%n", deaths, ttlSeconds);
        printRow("blocking-query watch", watch);
        printRow("poll every " + pollInterval.toMillis() + " ms", poll);
        System.out.printf("watch: disappearance after %.2f x TTL (mean); excess over TTL %.0f ms (mean)%n",
                mean(watch) / (ttlSeconds * 1000.0), mean(watch) - ttlSeconds * 1000.0);
        System.out.printf("ratio poll / watch (mean): %.2fx%n", mean(poll) / mean(watch));
    }

    private static void record(List<InstanceView> instances, Map<String, Long> seen) {
        long now = System.nanoTime();
        instances.forEach(instance -> seen.putIfAbsent(instance.instanceId(), now));
    }

    /** An instance counts as gone for an observer only once that observer has seen it present. */
    private static void recordGone(List<InstanceView> instances, Set<String> seenPresent,
            Map<String, Long> gone) {
        long now = System.nanoTime();
        Set<String> present = instances.stream().map(InstanceView::instanceId).collect(Collectors.toSet());
        seenPresent.addAll(present);
        seenPresent.stream().filter(id -> !present.contains(id)).forEach(id -> gone.putIfAbsent(id, now));
    }

    private static void awaitSeen(String id, Map<String, Long> a, Map<String, Long> b, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((!a.containsKey(id) || !b.containsKey(id)) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static double[] latenciesMillis(Map<String, Long> start, Map<String, Long> end) {
        return start.entrySet()
            .stream()
            .filter(entry -> end.containsKey(entry.getKey()))
            .mapToDouble(entry -> (end.get(entry.getKey()) - entry.getValue()) / 1e6)
            .sorted()
            .toArray();
    }

    private static void printRow(String name, double[] millis) {
        System.out.printf("  %-24s n=%3d  min %8.1f  p50 %8.1f  p90 %8.1f  p99 %8.1f  max %8.1f  mean %8.1f%n", name,
                millis.length, millis.length == 0 ? Double.NaN : millis[0], percentile(millis, 50),
                percentile(millis, 90), percentile(millis, 99),
                millis.length == 0 ? Double.NaN : millis[millis.length - 1], mean(millis));
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static void awaitLeader(URI address) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(address.resolve("/v1/cluster"))
                    .timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"leaderId\":\"")) {
                    return;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("registry at " + address + " did not elect itself within 120 s");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (IOException ex) {
            return "unknown";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The baseline observer: a plain read every {@code interval} on a virtual thread. */
    private static final class Poller implements AutoCloseable {

        private final Thread thread;

        private volatile boolean closed;

        Poller(RegistryClient client, String service, Duration interval, Consumer<List<InstanceView>> listener) {
            this.thread = Thread.ofVirtual().start(() -> {
                while (!this.closed) {
                    try {
                        Indexed<List<InstanceView>> answer = client.instances(service, QueryOptions.DEFAULT);
                        listener.accept(answer.value());
                        Thread.sleep(interval);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                    catch (RuntimeException ex) {
                        if (this.closed) {
                            return;
                        }
                    }
                }
            });
        }

        @Override
        public void close() {
            this.closed = true;
            this.thread.interrupt();
        }
    }
}

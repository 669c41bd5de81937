package io.flotilla.bench.shop;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Demo shop throughput on loopback: orders/s and latency percentiles of N concurrent clients placing orders through
 * TCC and through XA, against a baseline measured in the same run on the same processes: reading an order back
 * ({@code GET /api/orders/{id}}: one hop, one database read, no global transaction).
 * <p>
 * Self-contained and bounded: starts one registry node, one coordinator node, one inventory-service and one
 * order-service from their runnable jars on 127.0.0.1 (the embedded H2 default, in a temporary directory; one
 * product's stock raised by an extra Flyway migration so no order is refused), measures, and stops them all.
 * <pre>
 * java -cp bench/target/flotilla-bench.jar io.flotilla.bench.shop.ShopOrderDriver . [clients=32] [seconds=20] [rounds=2]
 * </pre>
 * The first argument is the repository root (the jars are {@code <module>/target/<module>-exec.jar}).
 */
public final class ShopOrderDriver {

    private static final String SKU = "FLT-STICKER";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ShopOrderDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ShopOrderDriver <repository root> [clients=32] [seconds=20] [rounds=2]");
            System.exit(2);
        }
        Path root = Path.of(args[0]).toAbsolutePath();
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Duration measure = Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 20);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Duration warmUp = Duration.ofSeconds(10);

        Path work = Files.createTempDirectory("flotilla-shop-bench");
        Path migrations = Files.createDirectories(work.resolve("bench-migrations"));
        Files.writeString(migrations.resolve("V1000__bench_stock.sql"),
                "UPDATE product SET available = 1000000000 WHERE sku = '" + SKU + "';\n");
        int registryPort = freePort();
        int coordinatorPort = freePort();
        int inventoryPort = freePort();
        int orderPort = freePort();
        String registry = "--flotilla.registry.addresses=http://127.0.0.1:" + registryPort;
        String coordinator = "--flotilla.tx.coordinator.addresses=http://127.0.0.1:" + coordinatorPort;
        List<Process> processes = new ArrayList<>();
        try {
            processes.add(start(root, work, "registry-service", "--server.port=" + registryPort,
                    "--flotilla.registry.raft-port=" + freePort(), "--flotilla.registry.data-dir=" + work.resolve("registry")));
            processes.add(start(root, work, "tx-coordinator", "--server.port=" + coordinatorPort,
                    "--flotilla.tx.raft-port=" + freePort(), "--flotilla.tx.data-dir=" + work.resolve("tx")));
            awaitOk("http://127.0.0.1:" + registryPort + "/v1/services", Duration.ofSeconds(600));
            awaitOk("http://127.0.0.1:" + coordinatorPort + "/v1/transactions?limit=1", Duration.ofSeconds(600));
            processes.add(start(root, work, "inventory-service", "--server.port=" + inventoryPort, registry, coordinator,
                    "--flotilla.registry.host=127.0.0.1",
                    "--spring.flyway.locations=classpath:db/migration/inventory,filesystem:" + migrations));
            processes.add(start(root, work, "order-service", "--server.port=" + orderPort, registry, coordinator,
                    "--flotilla.registry.host=127.0.0.1"));
            awaitOk("http://127.0.0.1:" + inventoryPort + "/actuator/health", Duration.ofSeconds(600));
            awaitOk("http://127.0.0.1:" + orderPort + "/actuator/health", Duration.ofSeconds(600));
            String orders = "http://127.0.0.1:" + orderPort + "/api/orders";
            awaitOrderAccepted(orders);

            System.out.printf("clients=%d warm-up=%ss measure=%ss rounds=%d cores=%d load-average-before=%.1f%n", clients,
                    warmUp.toSeconds(), measure.toSeconds(), rounds, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            String readUrl = orders + "/" + placeOne(orders, "TCC", "bench-read-target");
            List<Result> results = new ArrayList<>();
            AtomicLong keys = new AtomicLong();
            // Alternate the three loads so that load from elsewhere on the machine hits each alike.
            for (int round = 1; round <= rounds; round++) {
                results.add(run("baseline: GET order #" + round, clients, warmUp, measure,
                        () -> HttpRequest.newBuilder(URI.create(readUrl)).timeout(Duration.ofSeconds(30)).build()));
                for (String mode : List.of("TCC", "XA")) {
                    results.add(run(mode + " order #" + round, clients, warmUp, measure,
                            () -> orderRequest(orders, mode, "bench-" + mode + "-" + keys.incrementAndGet())));
                }
            }
            System.out.println();
            System.out.println("| load | requests/s | p50 ms | p99 ms | vs baseline (same round) | errors |");
            System.out.println("|---|---:|---:|---:|---:|---|");
            double baseline = 0;
            for (Result result : results) {
                if (result.name().startsWith("baseline")) {
                    baseline = result.perSecond();
                }
                System.out.printf("| %s | %.0f | %.1f | %.1f | %.2fx | %s |%n", result.name(), result.perSecond(),
                        result.p50Millis(), result.p99Millis(), result.perSecond() / baseline,
                        result.errors().isEmpty() ? "0" : result.errors());
            }
            System.out.printf("load-average-after=%.1f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        finally {
            for (Process process : processes.reversed()) {
                process.destroy();
            }
            for (Process process : processes) {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static HttpRequest orderRequest(String orders, String mode, String key) {
        String body = "{\"userId\":\"bench\",\"sku\":\"" + SKU + "\",\"quantity\":1,\"mode\":\"" + mode + "\"}";
        return HttpRequest.newBuilder(URI.create(orders))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private static String placeOne(String orders, String mode, String key) throws Exception {
        HttpResponse<String> answer = HTTP.send(orderRequest(orders, mode, key), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("order refused: " + answer.statusCode() + " " + answer.body());
        }
        String body = answer.body();
        int at = body.indexOf("\"orderId\":\"") + 11;
        return body.substring(at, body.indexOf('"', at));
    }

    /** Discovery and the coordinator need a moment after health turns UP; wait until one order goes through. */
    private static void awaitOrderAccepted(String orders) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (int attempt = 0;; attempt++) {
            try {
                placeOne(orders, "TCC", "bench-probe-" + attempt);
                return;
            }
            catch (IllegalStateException | IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    private static Result run(String name, int clients, Duration warmUp, Duration measure,
            java.util.function.Supplier<HttpRequest> requests) throws Exception {
        long warmUpEnd = System.nanoTime() + warmUp.toNanos();
        long end = warmUpEnd + measure.toNanos();
        LongAdder done = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentSkipListMap<>();
        List<long[]> latencies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    long[] samples = new long[1 << 16];
                    int count = 0;
                    while (true) {
                        long started = System.nanoTime();
                        if (started >= end) {
                            break;
                        }
                        String error = null;
                        try {
                            HttpResponse<Void> answer = HTTP.send(requests.get(), HttpResponse.BodyHandlers.discarding());
                            if (answer.statusCode() >= 300) {
                                error = "HTTP " + answer.statusCode();
                            }
                        }
                        catch (IOException e) {
                            error = e.getClass().getSimpleName();
                        }
                        long finished = System.nanoTime();
                        if (started >= warmUpEnd && finished <= end) {
                            if (error != null) {
                                errors.computeIfAbsent(error, k -> new LongAdder()).increment();
                            }
                            else {
                                done.increment();
                                if (count == samples.length) {
                                    samples = Arrays.copyOf(samples, count * 2);
                                }
                                samples[count++] = finished - started;
                            }
                        }
                    }
                    return Arrays.copyOf(samples, count);
                }));
            }
            for (Future<long[]> future : futures) {
                latencies.add(future.get());
            }
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Result result = new Result(name, done.sum() / (double) measure.toSeconds(), percentile(all, 0.50) / 1e6,
                percentile(all, 0.99) / 1e6, errors.toString());
        System.out.printf("%-24s %8.0f req/s  p50 %6.1f ms  p99 %7.1f ms  errors %s%n", name, result.perSecond(),
                result.p50Millis(), result.p99Millis(), errors);
        return result;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static Process start(Path root, Path work, String module, String... args) throws IOException {
        Path jar = root.resolve(module).resolve("target").resolve(module + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found; build it: ./mvnw -B -q -pl " + module
                    + " -am package -DskipTests");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = work.resolve(module + ".log");
        return new ProcessBuilder(command).directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    }

    private static void awaitOk(String url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no 200 from " + url + " within " + timeout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Result(String name, double perSecond, double p50Millis, double p99Millis, String errors) {
    }
}

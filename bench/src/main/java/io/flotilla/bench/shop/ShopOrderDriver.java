package io.flotilla.bench.shop;

import io.flotilla.raft.client.RequestSignature;
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
 * <p>
 * For every load it also prints, per process, the CPU time spent per order and the HTTP requests served per order
 * (from each service's {@code http_server_requests} meter), both over the measurement window: unlike orders/s,
 * these proportions do not depend on how much of the machine other jobs take. {@code -Dshop.jvmArgs="..."} adds
 * JVM options to every service and may contain {@code {name}} (the module), e.g.
 * {@code -Dshop.jvmArgs=-XX:StartFlightRecording=filename=/tmp/shop-{name}.jfr,settings=profile};
 * {@code -Dshop.requestDetail=true} also breaks the requests down by method, URI and status. Before the rounds,
 * {@code -Dshop.jitWarmupSeconds} (30) of TCC and then of XA orders let the JIT compile the order path.
 * <p>
 * {@code -Dshop.database=postgresql} runs both services on fresh databases of the local PostgreSQL (127.0.0.1:5432,
 * user postgres, trust auth; dropped afterwards) instead of H2; {@code -Dshop.products=N} spreads the orders at
 * random over N products instead of one hot row; {@code -Dshop.modes=TCC} measures only the listed modes.
 */
public final class ShopOrderDriver {

    private static final String SKU = "FLT-STICKER";

    private static final String POSTGRESQL = "jdbc:postgresql://127.0.0.1:5432/";

    private static final List<String> DATABASES = List.of("flotilla_shopbench_inventory", "flotilla_shopbench_orders");

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
        System.out.println("work directory (service logs): " + work);
        Path migrations = Files.createDirectories(work.resolve("bench-migrations"));
        int productCount = Integer.getInteger("shop.products", 1);
        List<String> skus = skus(productCount);
        StringBuilder stock = new StringBuilder("UPDATE product SET available = 1000000000 WHERE sku = '" + SKU + "';\n");
        for (String sku : skus) {
            if (!sku.equals(SKU)) {
                stock.append("INSERT INTO product (sku, name, price_cents, available, frozen) VALUES ('").append(sku)
                    .append("', 'Bench product ").append(sku).append("', 100, 1000000000, 0);\n");
            }
        }
        Files.writeString(migrations.resolve("V1000__bench_stock.sql"), stock);
        boolean postgresql = System.getProperty("shop.database", "h2").equalsIgnoreCase("postgresql");
        List<String> modes = List.of(System.getProperty("shop.modes", "TCC,XA").split(","));
        if (postgresql) {
            recreateDatabases();
        }
        int registryPort = freePort();
        int coordinatorPort = freePort();
        int inventoryPort = freePort();
        int orderPort = freePort();
        String registry = "--flotilla.registry.addresses=http://127.0.0.1:" + registryPort;
        String coordinator = "--flotilla.tx.coordinator.addresses=http://127.0.0.1:" + coordinatorPort;
        // Phase-two calls are signed in every stack, so in the measured one too: a random key per run.
        String signingKey = RequestSignature.newNonce() + RequestSignature.newNonce();
        String participantKey = "--flotilla.tx.participant.signing-keys=" + signingKey;
        List<Service> processes = new ArrayList<>();
        try {
            processes.add(start(root, work, "registry-service", registryPort,
                    "--flotilla.registry.server.raft-port=" + freePort(), "--flotilla.registry.server.data-dir=" + work.resolve("registry")));
            processes.add(start(root, work, "tx-coordinator", coordinatorPort,
                    "--flotilla.coordinator.raft-port=" + freePort(), "--flotilla.coordinator.data-dir=" + work.resolve("tx"),
                    "--flotilla.coordinator.phase-two.signing-keys=" + signingKey));
            awaitOk("http://127.0.0.1:" + registryPort + "/v1/services", Duration.ofSeconds(600));
            awaitOk("http://127.0.0.1:" + coordinatorPort + "/v1/transactions?limit=1", Duration.ofSeconds(600));
            processes.add(start(root, work, "inventory-service", inventoryPort, database(postgresql, DATABASES.get(0),
                    registry, coordinator, participantKey, "--flotilla.registry.host=127.0.0.1",
                    "--spring.flyway.locations=classpath:db/migration/inventory,filesystem:" + migrations)));
            processes.add(start(root, work, "order-service", orderPort, database(postgresql, DATABASES.get(1),
                    registry, coordinator, participantKey, "--flotilla.registry.host=127.0.0.1")));
            awaitOk("http://127.0.0.1:" + inventoryPort + "/actuator/health", Duration.ofSeconds(600));
            awaitOk("http://127.0.0.1:" + orderPort + "/actuator/health", Duration.ofSeconds(600));
            String orders = "http://127.0.0.1:" + orderPort + "/api/orders";
            awaitOrderAccepted(orders);

            System.out.printf("clients=%d database=%s products=%d jit-warm-up=%ss per mode, warm-up=%ss measure=%ss rounds=%d cores=%d load-average-before=%.1f%n", clients,
                    postgresql ? "postgresql" : "h2", skus.size(), Long.getLong("shop.jitWarmupSeconds", 30), warmUp.toSeconds(),
                    measure.toSeconds(), rounds, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            String readUrl = orders + "/" + placeOne(orders, "TCC", "bench-read-target");
            List<Result> results = new ArrayList<>();
            AtomicLong keys = new AtomicLong();
            // The per-load warm-up is too short for four JVMs to finish compiling the order path on two cores: in
            // a first TCC window a third of every service's CPU went to the JIT compiler threads. Place orders of
            // both modes first so the rounds measure the order path, not its compilation.
            Duration jitWarmUp = Duration.ofSeconds(Long.getLong("shop.jitWarmupSeconds", 30));
            for (String mode : modes) {
                load(clients, System.nanoTime() + jitWarmUp.toNanos(),
                        () -> orderRequest(orders, mode, skus, "bench-warm-up-" + mode + "-" + keys.incrementAndGet()));
            }
            // Alternate the three loads so that load from elsewhere on the machine hits each alike.
            for (int round = 1; round <= rounds; round++) {
                results.add(run("baseline: GET order #" + round, clients, warmUp, measure, processes,
                        () -> HttpRequest.newBuilder(URI.create(readUrl)).timeout(Duration.ofSeconds(30)).build()));
                for (String mode : modes) {
                    results.add(run(mode + " order #" + round, clients, warmUp, measure, processes,
                            () -> orderRequest(orders, mode, skus, "bench-" + mode + "-" + keys.incrementAndGet())));
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
            // destroy() is SIGTERM: each JVM shuts down in order, so a JFR recording is written out.
            for (Service service : processes.reversed()) {
                service.process().destroy();
            }
            for (Service service : processes) {
                if (!service.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    service.process().destroyForcibly();
                }
            }
            if (postgresql) {
                dropDatabases();
            }
        }
    }

    /** The products ordered: the seed data's one, or N of the bench's own (the first being the seed's). */
    private static List<String> skus(int count) {
        if (count <= 1) {
            return List.of(SKU);
        }
        List<String> skus = new ArrayList<>(List.of(SKU));
        for (int i = 1; i < count; i++) {
            skus.add(String.format("BENCH-%04d", i));
        }
        return List.copyOf(skus);
    }

    private static String[] database(boolean postgresql, String name, String... args) {
        if (!postgresql) {
            return args;
        }
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--spring.datasource.url=" + POSTGRESQL + name, "--spring.datasource.username=postgres",
                "--spring.datasource.password="));
        return all.toArray(String[]::new);
    }

    private static void recreateDatabases() throws java.sql.SQLException {
        dropDatabases();
        try (var connection = java.sql.DriverManager.getConnection(POSTGRESQL + "postgres", "postgres", "");
                var statement = connection.createStatement()) {
            for (String database : DATABASES) {
                statement.execute("CREATE DATABASE " + database);
            }
        }
    }

    private static void dropDatabases() throws java.sql.SQLException {
        try (var connection = java.sql.DriverManager.getConnection(POSTGRESQL + "postgres", "postgres", "");
                var statement = connection.createStatement()) {
            for (String database : DATABASES) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static HttpRequest orderRequest(String orders, String mode, List<String> skus, String key) {
        String sku = skus.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(skus.size()));
        String body = "{\"userId\":\"bench\",\"sku\":\"" + sku + "\",\"quantity\":1,\"mode\":\"" + mode + "\"}";
        return HttpRequest.newBuilder(URI.create(orders))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private static String placeOne(String orders, String mode, String key) throws Exception {
        HttpResponse<String> answer = HTTP.send(orderRequest(orders, mode, List.of(SKU), key), HttpResponse.BodyHandlers.ofString());
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

    private static Result run(String name, int clients, Duration warmUp, Duration measure, List<Service> services,
            java.util.function.Supplier<HttpRequest> requests) throws Exception {
        long warmUpEnd = System.nanoTime() + warmUp.toNanos();
        long end = warmUpEnd + measure.toNanos();
        java.time.Instant windowStart = java.time.Instant.now().plus(warmUp);
        System.out.printf("%s: measured %s to %s%n", name, windowStart, windowStart.plus(measure));
        Thread.Builder.OfVirtual window = Thread.ofVirtual();
        Thread[] samplers = new Thread[2];
        List<Map<String, Double>> requestsAt = new ArrayList<>(List.of(Map.of(), Map.of()));
        List<Map<String, Long>> cpuAt = new ArrayList<>(List.of(Map.of(), Map.of()));
        long[] at = {warmUpEnd, end};
        for (int i = 0; i < 2; i++) {
            int index = i;
            samplers[i] = window.start(() -> {
                try {
                    sleepUntil(at[index]);
                }
                catch (InterruptedException e) {
                    return;
                }
                cpuAt.set(index, cpuNanos(services));
                requestsAt.set(index, requestCounts(services));
            });
        }
        LongAdder done = new LongAdder();
        // Per-operation costs divide what the services did in the window by the operations that ended in it,
        // including those begun during the warm-up (the services served them in the window too).
        LongAdder endedInWindow = new LongAdder();
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
                        if (finished >= warmUpEnd && finished <= end) {
                            endedInWindow.increment();
                        }
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
        for (Thread sampler : samplers) {
            sampler.join();
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Result result = new Result(name, done.sum() / (double) measure.toSeconds(), percentile(all, 0.50) / 1e6,
                percentile(all, 0.99) / 1e6, errors.toString());
        System.out.printf("%-24s %8.0f req/s  p50 %6.1f ms  p99 %7.1f ms  errors %s%n", name, result.perSecond(),
                result.p50Millis(), result.p99Millis(), errors);
        printPerOperation(Math.max(1, endedInWindow.sum()), cpuAt.get(0), cpuAt.get(1), requestsAt.get(0), requestsAt.get(1));
        return result;
    }

    /** Closed-loop load until {@code end}, nothing recorded: warm-up. */
    private static void load(int clients, long end, java.util.function.Supplier<HttpRequest> requests) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        HTTP.send(requests.get(), HttpResponse.BodyHandlers.discarding());
                    }
                    return null;
                });
            }
        }
    }

    /** CPU ms and HTTP requests per completed operation, per process, over the measurement window. */
    private static void printPerOperation(long operations, Map<String, Long> cpuFrom, Map<String, Long> cpuTo,
            Map<String, Double> requestsFrom, Map<String, Double> requestsTo) {
        StringBuilder cpu = new StringBuilder("    CPU ms/op:");
        double cpuTotal = 0;
        for (var entry : cpuTo.entrySet()) {
            double millis = (entry.getValue() - cpuFrom.getOrDefault(entry.getKey(), 0L)) / 1e6 / operations;
            cpuTotal += entry.getKey().equals("driver") ? 0 : millis;
            cpu.append(String.format(" %s %.2f", entry.getKey(), millis));
        }
        System.out.println(cpu.append(String.format(" | services %.2f", cpuTotal)));
        Map<String, Double> perService = new java.util.TreeMap<>();
        Map<String, Double> perEndpoint = new java.util.TreeMap<>();
        for (var entry : requestsTo.entrySet()) {
            double count = (entry.getValue() - requestsFrom.getOrDefault(entry.getKey(), 0.0)) / operations;
            if (count > 0) {
                perService.merge(entry.getKey().substring(0, entry.getKey().indexOf(' ')), count, Double::sum);
                perEndpoint.put(entry.getKey(), count);
            }
        }
        StringBuilder requests = new StringBuilder("    HTTP requests/op:");
        perService.forEach((service, count) -> requests.append(String.format(" %s %.2f", service, count)));
        System.out.println(requests);
        if (Boolean.getBoolean("shop.requestDetail")) {
            perEndpoint.forEach((endpoint, count) -> System.out.printf("      %-90s %.3f%n", endpoint, count));
        }
    }

    private static Map<String, Long> cpuNanos(List<Service> services) {
        Map<String, Long> cpu = new java.util.LinkedHashMap<>();
        for (Service service : services) {
            cpu.put(service.name(), cpuNanos(service.process().toHandle()));
        }
        cpu.put("driver", cpuNanos(ProcessHandle.current()));
        return cpu;
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /**
     * Requests each service has served so far, by "service method uri status", from its Prometheus endpoint; the
     * scrapes themselves are left out.
     */
    private static Map<String, Double> requestCounts(List<Service> services) {
        Map<String, Double> counts = new java.util.HashMap<>();
        for (Service service : services) {
            String text;
            try {
                text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                        + "/actuator/prometheus")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            catch (IOException | InterruptedException e) {
                System.out.println("    (no metrics from " + service.name() + ": " + e + ")");
                continue;
            }
            for (String line : text.split("\n")) {
                if (!line.startsWith("http_server_requests_seconds_count{") || line.contains("/actuator/prometheus")) {
                    continue;
                }
                String key = service.name() + " " + label(line, "method") + " " + label(line, "uri") + " "
                        + label(line, "status");
                counts.merge(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return counts;
    }

    private static String label(String line, String name) {
        int at = line.indexOf(name + "=\"");
        if (at < 0) {
            return "?";
        }
        at += name.length() + 2;
        return line.substring(at, line.indexOf('"', at));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static Service start(Path root, Path work, String module, int port, String... args) throws IOException {
        Path jar = root.resolve(module).resolve("target").resolve(module + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found; build it: ./mvnw -B -q -pl " + module
                    + " -am package -DskipTests");
        }
        // The JVM options every service runs with (./flotilla up, the Docker image): scripts/jvm.options.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + root.resolve("scripts").resolve("jvm.options")));
        String jvmArgs = System.getProperty("shop.jvmArgs", "").replace("{name}", module);
        if (!jvmArgs.isBlank()) {
            command.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(List.of(args));
        Path log = work.resolve(module + ".log");
        Process process = new ProcessBuilder(command).directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        return new Service(module, port, process);
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

    private record Service(String name, int port, Process process) {
    }

    private record Result(String name, double perSecond, double p50Millis, double p99Millis, String errors) {
    }
}

package io.flotilla.bench.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpServer;

/**
 * Gateway overhead on loopback: requests/s and latency percentiles of N concurrent clients calling a
 * backend directly, then the same backend through the gateway, each for a fixed time after a warm-up,
 * alternating for a few rounds.
 * <p>
 * Self-contained and bounded: starts a tiny JDK HttpServer backend on 127.0.0.1, starts the gateway jar
 * as a child process routing {@code order-service} to it (rate limit lifted, everything else as
 * shipped), waits for its health endpoint, measures, and stops both.
 * <pre>
 * java -cp bench/target/flotilla-bench.jar io.flotilla.bench.gateway.GatewayOverheadDriver \
 *     gateway/target/gateway-exec.jar [clients=32] [seconds=15] [rounds=2]
 * </pre>
 */
public final class GatewayOverheadDriver {

    private GatewayOverheadDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: GatewayOverheadDriver <gateway.jar> [clients=32] [seconds=15] [rounds=2]");
            System.exit(2);
        }
        Path gatewayJar = Path.of(args[0]);
        if (!Files.isRegularFile(gatewayJar)) {
            System.err.println("gateway jar not found: " + gatewayJar + " (build it: ./mvnw -B -q -pl platform/loadbalancer-starter,gateway package -DskipTests)");
            System.exit(2);
        }
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Duration measure = Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 15);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Duration warmUp = Duration.ofSeconds(10);
        // without it the JDK server sends headers and body in separate segments held back by Nagle
        System.setProperty("sun.net.httpserver.nodelay", "true");

        HttpServer backend = startBackend();
        int backendPort = backend.getAddress().getPort();
        int gatewayPort = freePort();
        Process gateway = startGateway(gatewayJar, gatewayPort, backendPort);
        try {
            awaitHealthy(gatewayPort, Duration.ofSeconds(90));
            URI direct = URI.create("http://127.0.0.1:" + backendPort + "/api/orders/1");
            URI proxied = URI.create("http://127.0.0.1:" + gatewayPort + "/api/orders/1");
            System.out.printf("clients=%d warm-up=%ss measure=%ss rounds=%d cores=%d%n", clients, warmUp.toSeconds(),
                    measure.toSeconds(), rounds, Runtime.getRuntime().availableProcessors());
            List<Result> results = new ArrayList<>();
            // alternate direct and gateway rounds so that load from elsewhere on the machine hits both alike
            for (int round = 1; round <= rounds; round++) {
                results.add(run("direct #" + round, direct, clients, warmUp, measure));
                results.add(run("gateway #" + round, proxied, clients, warmUp, measure));
            }
            System.out.println();
            System.out.println("| path | requests/s | p50 ms | p99 ms | errors (by status or exception) |");
            System.out.println("|---|---|---|---|---|");
            results.forEach(result -> System.out.println(result.row()));
            double directRate = results.stream().filter(r -> r.name().startsWith("direct")).mapToDouble(Result::perSecond).average().orElse(Double.NaN);
            double gatewayRate = results.stream().filter(r -> r.name().startsWith("gateway")).mapToDouble(Result::perSecond).average().orElse(Double.NaN);
            System.out.printf("%nthroughput through the gateway = %.2fx direct (mean over rounds)%n", gatewayRate / directRate);
        }
        finally {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
            backend.stop(0);
        }
    }

    private static Result run(String name, URI uri, int clients, Duration warmUp, Duration measure) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measure.toNanos();
        Map<String, LongAdder> failures = new ConcurrentSkipListMap<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(threads.submit(() -> {
                    long[] latencies = new long[1 << 16];
                    int count = 0;
                    long errors = 0;
                    while (true) {
                        long before = System.nanoTime();
                        if (before >= end) {
                            break;
                        }
                        String failure;
                        try {
                            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            failure = status == 200 ? null : Integer.toString(status);
                        }
                        catch (IOException ex) {
                            failure = ex.getClass().getSimpleName();
                        }
                        long after = System.nanoTime();
                        if (before >= measureFrom) {
                            if (failure != null) {
                                errors++;
                                failures.computeIfAbsent(failure, key -> new LongAdder()).increment();
                            }
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count++] = after - before;
                        }
                    }
                    long[] result = Arrays.copyOf(latencies, count + 1);
                    result[count] = errors;
                    return result;
                }));
            }
            List<long[]> perClient = new ArrayList<>();
            for (Future<long[]> future : futures) {
                perClient.add(future.get());
            }
            int total = perClient.stream().mapToInt(l -> l.length - 1).sum();
            long errors = perClient.stream().mapToLong(l -> l[l.length - 1]).sum();
            long[] all = new long[total];
            int at = 0;
            for (long[] latencies : perClient) {
                System.arraycopy(latencies, 0, all, at, latencies.length - 1);
                at += latencies.length - 1;
            }
            Arrays.sort(all);
            Result result = new Result(name, total / (measure.toNanos() / 1e9), percentile(all, 0.50), percentile(all, 0.99),
                    errors, failures.toString());
            System.out.println(result.row());
            return result;
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static HttpServer startBackend() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        byte[] body = "{\"id\":1,\"status\":\"NEW\"}".getBytes(StandardCharsets.UTF_8);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return server;
    }

    private static Process startGateway(Path jar, int port, int backendPort) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-jar", jar.toString(), "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--spring.cloud.discovery.client.simple.instances.order-service[0].uri=http://127.0.0.1:" + backendPort,
                "--flotilla.gateway.rate-limit.limit-for-period=100000000",
                "--logging.level.root=WARN");
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"), "flotilla-gateway-bench.log").toFile()))
            .start();
    }

    private static void awaitHealthy(int port, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
            .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("gateway did not become healthy on port " + port + " within " + timeout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private record Result(String name, double perSecond, double p50Millis, double p99Millis, long errors,
            String failures) {

        String row() {
            return String.format("| %s | %.0f | %.2f | %.2f | %d %s |", name, perSecond, p50Millis, p99Millis, errors,
                    errors == 0 ? "" : failures);
        }
    }
}

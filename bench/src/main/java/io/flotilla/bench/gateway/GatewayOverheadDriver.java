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
 * Gateway overhead on loopback: requests/s, latency percentiles and CPU per request of N concurrent clients
 * calling a backend directly, through a plain Spring Cloud Gateway (the same jar with one filterless route
 * straight to the backend URI: the floor any Spring Cloud Gateway pays), and through the Flotilla gateway
 * as shipped, each for a fixed time after a warm-up, alternating for a few rounds.
 * <p>
 * Self-contained and bounded: starts a tiny JDK HttpServer backend on 127.0.0.1, starts the gateway jar
 * twice as child processes (plain, and Flotilla routing {@code order-service} to the backend through simple
 * discovery, rate limit lifted, everything else as shipped), waits for their health endpoints, measures,
 * and stops everything. CPU per request (from the OS's per-process CPU time over the measurement window)
 * does not depend on how much of the machine other jobs take, unlike requests/s.
 * <pre>
 * java [-Dgateway.cpus=1] [-Dgateway.jvmArgs="..."] [-Dgateway.args="..."] [-Dbaseline.plain=false] [-Dwarmup.seconds=10] \
 *     -cp bench/target/flotilla-bench.jar io.flotilla.bench.gateway.GatewayOverheadDriver \
 *     gateway/target/gateway-exec.jar [clients=32] [seconds=15] [rounds=2]
 * </pre>
 * {@code gateway.cpus} pins both gateways with {@code taskset -c} (run the driver itself under
 * {@code taskset -c 0} to give clients and backend the other core); {@code gateway.jvmArgs} may contain
 * {@code {name}} (plain or flotilla), e.g. for a JFR recording per gateway.
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
        Duration warmUp = Duration.ofSeconds(Long.getLong("warmup.seconds", 10));
        boolean plainBaseline = Boolean.parseBoolean(System.getProperty("baseline.plain", "true"));
        // without it the JDK server sends headers and body in separate segments held back by Nagle
        System.setProperty("sun.net.httpserver.nodelay", "true");

        HttpServer backend = startBackend();
        int backendPort = backend.getAddress().getPort();
        List<Process> gateways = new ArrayList<>();
        try {
            List<Target> targets = new ArrayList<>();
            targets.add(new Target("direct", URI.create("http://127.0.0.1:" + backendPort + "/api/orders/1"), null));
            if (plainBaseline) {
                int port = freePort();
                Process plain = startGateway("plain", gatewayJar, port, plainGatewayArgs(backendPort));
                gateways.add(plain);
                targets.add(new Target("plain SCG", URI.create("http://127.0.0.1:" + port + "/api/orders/1"), plain));
            }
            int gatewayPort = freePort();
            Process gateway = startGateway("flotilla", gatewayJar, gatewayPort, flotillaGatewayArgs(backendPort));
            gateways.add(gateway);
            targets.add(new Target("gateway", URI.create("http://127.0.0.1:" + gatewayPort + "/api/orders/1"), gateway));
            for (Target target : targets) {
                if (target.process() != null) {
                    awaitHealthy(target.uri().getPort(), Duration.ofSeconds(Long.getLong("start.timeout.seconds", 300)));
                }
            }
            System.out.printf("clients=%d warm-up=%ss measure=%ss rounds=%d driver cores=%d%n", clients, warmUp.toSeconds(),
                    measure.toSeconds(), rounds, Runtime.getRuntime().availableProcessors());
            List<Result> results = new ArrayList<>();
            // alternate the paths within each round so that load from elsewhere on the machine hits all alike
            for (int round = 1; round <= rounds; round++) {
                for (Target target : targets) {
                    results.add(run(target.name() + " #" + round, target, clients, warmUp, measure));
                }
            }
            System.out.println();
            System.out.println(Result.HEADER);
            System.out.println("|---|---|---|---|---|---|---|");
            results.forEach(result -> System.out.println(result.row()));
            double directRate = meanRate(results, "direct");
            System.out.println();
            for (Target target : targets.subList(1, targets.size())) {
                System.out.printf("throughput through %s = %.2fx direct (mean over rounds)%n", target.name(),
                        meanRate(results, target.name()) / directRate);
            }
            if (plainBaseline) {
                System.out.printf("throughput through gateway = %.2fx plain SCG (mean over rounds)%n",
                        meanRate(results, "gateway") / meanRate(results, "plain SCG"));
            }
        }
        finally {
            for (Process gateway : gateways) {
                gateway.destroy();
                if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
            backend.stop(0);
        }
    }

    private static double meanRate(List<Result> results, String target) {
        return results.stream().filter(r -> r.name().startsWith(target + " #")).mapToDouble(Result::perSecond).average()
            .orElse(Double.NaN);
    }

    /**
     * The shipped gateway: lb:// route with rate limit, circuit breaker, retry; only the rate limit is lifted, and
     * the backend comes from simple discovery (the standalone profile) rather than a registry.
     */
    private static List<String> flotillaGatewayArgs(int backendPort) {
        return List.of("--spring.profiles.active=standalone",
                "--spring.cloud.discovery.client.simple.instances.order-service[0].uri=http://127.0.0.1:" + backendPort,
                "--flotilla.gateway.rate-limit.limit-for-period=100000000");
    }

    /**
     * Same jar as a plain Spring Cloud Gateway: one route straight to the backend URI with no filters and no
     * gateway metrics (a list given on the command line replaces the whole route list of application.yml).
     */
    private static List<String> plainGatewayArgs(int backendPort) {
        String route = "--spring.cloud.gateway.server.webflux.routes[0].";
        return List.of("--spring.profiles.active=standalone", route + "id=plain", route + "uri=http://127.0.0.1:" + backendPort,
                route + "predicates[0]=Path=/api/orders/**",
                "--spring.cloud.gateway.server.webflux.metrics.enabled=false");
    }

    private static Result run(String name, Target target, int clients, Duration warmUp, Duration measure) throws Exception {
        URI uri = target.uri();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measure.toNanos();
        Map<String, LongAdder> failures = new ConcurrentSkipListMap<>();
        CpuWindow cpu = new CpuWindow(target.process(), measureFrom, end);
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
            cpu.run();
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
                    cpu.driverNanos() / 1e3 / Math.max(1, total), cpu.gatewayNanos() / 1e3 / Math.max(1, total), errors,
                    failures.toString());
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

    private static Process startGateway(String name, Path jar, int port, List<String> routing) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        String cpus = System.getProperty("gateway.cpus", "");
        if (!cpus.isBlank()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(java);
        command.addAll(splitArgs(System.getProperty("gateway.jvmArgs", "").replace("{name}", name)));
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
                "--logging.level.root=WARN"));
        command.addAll(routing);
        command.addAll(splitArgs(System.getProperty("gateway.args", "")));
        System.out.println(name + ": " + String.join(" ", command));
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"), "flotilla-gateway-bench-" + name + ".log").toFile()))
            .start();
    }

    private static List<String> splitArgs(String args) {
        return args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+"));
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

    private record Target(String name, URI uri, Process process) {
    }

    /**
     * CPU time the driver's own process (clients and backend) and the gateway process under test spend in the
     * measurement window: CPU per request does not depend on how much of the machine other jobs take.
     */
    private static final class CpuWindow {

        private final Process gateway;
        private final long from;
        private final long to;
        private long driverNanos = -1;
        private long gatewayNanos = -1;

        CpuWindow(Process gateway, long from, long to) {
            this.gateway = gateway;
            this.from = from;
            this.to = to;
        }

        void run() throws InterruptedException {
            sleepUntil(from);
            long driverStart = cpuNanos(ProcessHandle.current());
            long gatewayStart = gateway == null ? 0 : cpuNanos(gateway.toHandle());
            sleepUntil(to);
            driverNanos = cpuNanos(ProcessHandle.current()) - driverStart;
            gatewayNanos = gateway == null ? 0 : cpuNanos(gateway.toHandle()) - gatewayStart;
        }

        long driverNanos() {
            return driverNanos;
        }

        long gatewayNanos() {
            return gatewayNanos;
        }

        private static long cpuNanos(ProcessHandle process) {
            return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        private static void sleepUntil(long nanoTime) throws InterruptedException {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
    }

    private record Result(String name, double perSecond, double p50Millis, double p99Millis, double driverCpuMicros,
            double gatewayCpuMicros, long errors, String failures) {

        static final String HEADER = "| path | requests/s | p50 ms | p99 ms | driver CPU µs/req (clients + backend) | gateway CPU µs/req | errors |";

        String row() {
            return String.format("| %s | %.0f | %.2f | %.2f | %.0f | %s | %d %s |", name, perSecond, p50Millis, p99Millis,
                    driverCpuMicros, gatewayCpuMicros == 0 ? "-" : String.format("%.0f", gatewayCpuMicros), errors,
                    errors == 0 ? "" : failures);
        }
    }
}

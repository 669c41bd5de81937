package io.flotilla.bench.tx;

import com.sun.net.httpserver.HttpServer;
import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transaction coordinator's own ceiling on loopback: global transactions/s and client-side latency of
 * <ol>
 *   <li>an empty global transaction: {@code POST /v1/transactions} then {@code POST …/commit} (no branch: the
 *       commit decides and finishes it in one log write);</li>
 *   <li>a global transaction with two no-op TCC branches: begin, two branch registrations, commit; phase two (two
 *       confirm calls to a no-op participant in this JVM, two more log writes) runs in the coordinator after the
 *       commit answers, so "completed/s" also waits until nothing is left COMMITTING; a third phase commits
 *       with {@code ?wait=20s}, so each transaction's latency includes its phase two.</li>
 * </ol>
 * Each is set beside a baseline measured in the same run: the same number of HTTP round trips to a no-op
 * endpoint in this JVM, i.e. what the HTTP calls alone cost here. Every phase runs for a fixed time and stops.
 * <p>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.tx.CoordinatorCeilingDriver
 * [baseUrl=http://127.0.0.1:8090] [seconds=10] [concurrency=32]}
 */
public final class CoordinatorCeilingDriver {

    private static final Pattern XID = Pattern.compile("\"xid\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern MATCHING = Pattern.compile("\"matching\"\\s*:\\s*(\\d+)");

    private CoordinatorCeilingDriver() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args.length > 0 ? args[0] : "http://127.0.0.1:8090";
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        if (!URI.create(baseUrl).getHost().matches("127\\.0\\.0\\.1|localhost")) {
            throw new IllegalArgumentException("load is only driven against loopback, got " + baseUrl);
        }
        HttpServer noop = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        noop.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        noop.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        noop.start();
        String noopUrl = "http://127.0.0.1:" + noop.getAddress().getPort();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Calls calls = new Calls(client, baseUrl, noopUrl);
            System.out.printf("warm-up: %,d transactions%n",
                    run(() -> calls.twoBranchTransaction(false), Duration.ofSeconds(15), concurrency).ok);
            calls.drain(Duration.ofMinutes(2));

            Phase baseline2 = run(() -> calls.noopCalls(2), duration, concurrency);
            Phase empty = run(calls::emptyTransaction, duration, concurrency);
            Phase baseline4 = run(() -> calls.noopCalls(4), duration, concurrency);
            Phase twoBranches = run(() -> calls.twoBranchTransaction(false), duration, concurrency);
            double drainSeconds = calls.drain(Duration.ofMinutes(2));
            double completedPerSecond = twoBranches.ok / (twoBranches.seconds + drainSeconds);
            Phase twoBranchesWaited = run(() -> calls.twoBranchTransaction(true), duration, concurrency);

            System.out.println();
            System.out.printf("concurrency %d, %d s per phase, coordinator %s%n", concurrency, duration.toSeconds(),
                    baseUrl);
            System.out.printf("%-44s %12s %10s %10s %8s %10s%n", "phase", "per second", "p50 ms", "p99 ms", "errors",
                    "vs base");
            print("baseline: 2 no-op HTTP calls", baseline2, baseline2);
            print("empty global tx (begin+commit)", empty, baseline2);
            print("baseline: 4 no-op HTTP calls", baseline4, baseline4);
            print("2-branch tx (begin+2 branches+commit)", twoBranches, baseline4);
            print("2-branch tx, commit?wait (phase two done)", twoBranchesWaited, baseline4);
            System.out.printf("2-branch tx completed incl. phase two: %,.0f tx/s (phase two drained %.2f s after "
                    + "the load stopped)%n", completedPerSecond, drainSeconds);
        } finally {
            noop.stop(0);
        }
    }

    private static void print(String name, Phase phase, Phase baseline) {
        System.out.printf("%-44s %,12.0f %10.2f %10.2f %8d %9.2fx%n", name, phase.perSecond(),
                phase.latency.getValueAtPercentile(50) / 1e6, phase.latency.getValueAtPercentile(99) / 1e6,
                phase.failed, phase.perSecond() / baseline.perSecond());
    }

    /** One unit of work; returns whether it succeeded. */
    private interface Work {
        boolean run() throws Exception;
    }

    private static Phase run(Work work, Duration duration, int concurrency) throws Exception {
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        List<Histogram> histograms = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                Histogram histogram = new Histogram(60_000_000_000L, 3);
                histograms.add(histogram);
                threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long began = System.nanoTime();
                        boolean success;
                        try {
                            success = work.run();
                        } catch (Exception e) {
                            success = false;
                        }
                        if (success) {
                            ok.increment();
                            histogram.recordValue(Math.min(System.nanoTime() - began, 60_000_000_000L));
                        } else {
                            failed.increment();
                        }
                    }
                });
            }
        }
        Histogram all = new Histogram(60_000_000_000L, 3);
        histograms.forEach(all::add);
        return new Phase(ok.sum(), failed.sum(), (System.nanoTime() - start) / 1e9, all);
    }

    private record Phase(long ok, long failed, double seconds, Histogram latency) {
        double perSecond() {
            return ok / seconds;
        }
    }

    private record Calls(HttpClient client, String baseUrl, String noopUrl) {

        boolean noopCalls(int count) throws Exception {
            for (int i = 0; i < count; i++) {
                if (post(noopUrl + "/noop", "{\"xid\":\"x\",\"branchId\":1}").statusCode() != 200) {
                    return false;
                }
            }
            return true;
        }

        boolean emptyTransaction() throws Exception {
            String xid = begin();
            return xid != null && post(baseUrl + "/v1/transactions/" + xid + "/commit", "").statusCode() == 200;
        }

        /** With {@code waitForPhaseTwo} the commit answers once both confirms were acknowledged and logged. */
        boolean twoBranchTransaction(boolean waitForPhaseTwo) throws Exception {
            String xid = begin();
            if (xid == null) {
                return false;
            }
            for (String resource : List.of("stock", "account")) {
                String branch = "{\"resource\":\"" + resource + "\",\"confirmUrl\":\"" + noopUrl + "/confirm\","
                        + "\"cancelUrl\":\"" + noopUrl + "/cancel\"}";
                if (post(baseUrl + "/v1/transactions/" + xid + "/branches", branch).statusCode() != 201) {
                    return false;
                }
            }
            if (!waitForPhaseTwo) {
                return post(baseUrl + "/v1/transactions/" + xid + "/commit", "").statusCode() == 200;
            }
            HttpResponse<String> committed = post(baseUrl + "/v1/transactions/" + xid + "/commit?wait=20s", "");
            return committed.statusCode() == 200 && committed.body().contains("\"COMMITTED\"");
        }

        /** Waits until no transaction is COMMITTING; the seconds it took. */
        double drain(Duration limit) throws Exception {
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> list = client.send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/v1/transactions?status=COMMITTING&limit=1")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher matching = MATCHING.matcher(list.body());
                if (list.statusCode() == 200 && matching.find() && Long.parseLong(matching.group(1)) == 0) {
                    return (System.nanoTime() - start) / 1e9;
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("phase two did not drain within " + limit);
        }

        private String begin() throws Exception {
            HttpResponse<String> begun = post(baseUrl + "/v1/transactions", "{\"mode\":\"TCC\",\"timeoutMs\":60000}");
            if (begun.statusCode() != 201) {
                return null;
            }
            Matcher xid = XID.matcher(begun.body());
            return xid.find() ? xid.group(1) : null;
        }

        private HttpResponse<String> post(String url, String json) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}

package io.flotilla.bench.id;

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

/**
 * Loopback load against a running id-service: {@code next} requests/s, then ids/s with {@code count=1000}
 * batches. Each phase runs for a fixed time on virtual threads and stops by itself.
 * <p>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.id.HttpLoadDriver
 * [baseUrl=http://127.0.0.1:8083] [seconds=10] [concurrency=16]}
 */
public final class HttpLoadDriver {

    private static final int BATCH = 1000;

    private HttpLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = (args.length > 0) ? args[0] : "http://127.0.0.1:8083";
        Duration duration = Duration.ofSeconds((args.length > 1) ? Long.parseLong(args[1]) : 10);
        int concurrency = (args.length > 2) ? Integer.parseInt(args[2]) : 16;
        if (!URI.create(baseUrl).getHost().matches("127\\.0\\.0\\.1|localhost")) {
            throw new IllegalArgumentException("load is only driven against loopback, got " + baseUrl);
        }
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Phase warmUp = run(client, URI.create(baseUrl + "/v1/ids/next"), Duration.ofSeconds(3), concurrency);
            System.out.printf("warm-up: %,d requests%n", warmUp.ok);
            Phase next = run(client, URI.create(baseUrl + "/v1/ids/next"), duration, concurrency);
            Phase batch = run(client, URI.create(baseUrl + "/v1/ids?count=" + BATCH), duration, concurrency);
            System.out.println();
            System.out.printf("concurrency %d, %d s per phase, %s%n", concurrency, duration.toSeconds(), baseUrl);
            System.out.printf("%-22s %15s %15s %8s%n", "phase", "requests/s", "ids/s", "errors");
            System.out.printf("%-22s %,15.0f %,15.0f %8d%n", "GET /v1/ids/next", next.perSecond(),
                    next.perSecond(), next.failed);
            System.out.printf("%-22s %,15.0f %,15.0f %8d%n", "GET /v1/ids?count=" + BATCH, batch.perSecond(),
                    batch.perSecond() * BATCH, batch.failed);
        }
    }

    static Phase run(HttpClient client, URI uri, Duration duration, int concurrency) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Runnable> workers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                workers.add(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (response.statusCode() == 200) {
                                ok.increment();
                            }
                            else {
                                failed.increment();
                            }
                        }
                        catch (Exception ex) {
                            failed.increment();
                        }
                    }
                });
            }
            workers.forEach(threads::submit);
        }
        return new Phase(ok.sum(), failed.sum(), (System.nanoTime() - start) / 1e9);
    }

    record Phase(long ok, long failed, double seconds) {

        double perSecond() {
            return ok / seconds;
        }
    }
}

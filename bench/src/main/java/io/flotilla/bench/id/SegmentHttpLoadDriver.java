package io.flotilla.bench.id;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Segment ids beside snowflake ids over HTTP, against one running id-service on loopback: single ids and batches of
 * 1,000 from each, the same clients and total duration, in alternating slices ({@code rounds} of each), so that
 * the load of a shared machine drifting during the run falls on both alike. Prints requests/s, ids/s and the ratio.
 * <p>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.id.SegmentHttpLoadDriver
 * [baseUrl=http://127.0.0.1:8083] [seconds=10] [concurrency=16] [rounds=5]}
 */
public final class SegmentHttpLoadDriver {

    private static final int BATCH = 1000;

    private SegmentHttpLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = (args.length > 0) ? args[0] : "http://127.0.0.1:8083";
        Duration duration = Duration.ofSeconds((args.length > 1) ? Long.parseLong(args[1]) : 10);
        int concurrency = (args.length > 2) ? Integer.parseInt(args[2]) : 16;
        int rounds = (args.length > 3) ? Integer.parseInt(args[3]) : 5;
        Duration slice = duration.dividedBy(rounds);
        if (!URI.create(baseUrl).getHost().matches("127\\.0\\.0\\.1|localhost")) {
            throw new IllegalArgumentException("load is only driven against loopback, got " + baseUrl);
        }
        String tag = "bench-http-" + Long.toString(System.currentTimeMillis(), 36);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/segments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"" + tag + "\",\"step\":1000}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("creating tag " + tag + " answered " + created.statusCode() + ": "
                        + created.body());
            }
            URI snowflakeNext = URI.create(baseUrl + "/v1/ids/next");
            URI segmentNext = URI.create(baseUrl + "/v1/segments/" + tag + "/next");
            URI snowflakeBatch = URI.create(baseUrl + "/v1/ids?count=" + BATCH);
            URI segmentBatch = URI.create(baseUrl + "/v1/segments/" + tag + "?count=" + BATCH);
            HttpLoadDriver.run(client, snowflakeNext, Duration.ofSeconds(3), concurrency);
            HttpLoadDriver.run(client, segmentNext, Duration.ofSeconds(3), concurrency);
            HttpLoadDriver.Phase snowflakeSingle = new HttpLoadDriver.Phase(0, 0, 0);
            HttpLoadDriver.Phase segmentSingle = snowflakeSingle;
            HttpLoadDriver.Phase snowflakeBatches = snowflakeSingle;
            HttpLoadDriver.Phase segmentBatches = snowflakeSingle;
            for (int round = 0; round < rounds; round++) {
                snowflakeSingle = add(snowflakeSingle, HttpLoadDriver.run(client, snowflakeNext, slice, concurrency));
                segmentSingle = add(segmentSingle, HttpLoadDriver.run(client, segmentNext, slice, concurrency));
                snowflakeBatches = add(snowflakeBatches,
                        HttpLoadDriver.run(client, snowflakeBatch, slice, concurrency));
                segmentBatches = add(segmentBatches, HttpLoadDriver.run(client, segmentBatch, slice, concurrency));
            }
            System.out.println();
            System.out.printf("concurrency %d, %d s per phase in %d slices, %s, tag %s%n", concurrency,
                    duration.toSeconds(), rounds, baseUrl, tag);
            System.out.printf("%-38s %12s %14s %8s%n", "phase", "requests/s", "ids/s", "errors");
            print("GET /v1/ids/next (snowflake)", snowflakeSingle, 1);
            print("GET /v1/segments/{tag}/next", segmentSingle, 1);
            print("GET /v1/ids?count=1000 (snowflake)", snowflakeBatches, BATCH);
            print("GET /v1/segments/{tag}?count=1000", segmentBatches, BATCH);
            System.out.printf("segment / snowflake: single %.2fx, batches %.2fx%n",
                    segmentSingle.perSecond() / snowflakeSingle.perSecond(),
                    segmentBatches.perSecond() / snowflakeBatches.perSecond());
        }
    }

    private static HttpLoadDriver.Phase add(HttpLoadDriver.Phase a, HttpLoadDriver.Phase b) {
        return new HttpLoadDriver.Phase(a.ok() + b.ok(), a.failed() + b.failed(), a.seconds() + b.seconds());
    }

    private static void print(String name, HttpLoadDriver.Phase phase, int idsPerRequest) {
        System.out.printf("%-38s %,12.0f %,14.0f %8d%n", name, phase.perSecond(), phase.perSecond() * idsPerRequest,
                phase.failed());
    }
}

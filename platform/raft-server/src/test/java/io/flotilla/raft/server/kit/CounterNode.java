package io.flotilla.raft.server.kit;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** One {@link CounterApplication} node in this JVM, on a random HTTP port, and the HTTP calls the tests make. */
final class CounterNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String id;
    final ConfigurableApplicationContext context;
    final String url;

    private CounterNode(String id, ConfigurableApplicationContext context) {
        this.id = id;
        this.context = context;
        this.url = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /**
     * Starts node {@code id} on Raft port {@code raftPort} with {@code peers} ({@code id@host:raftPort}, comma
     * separated; empty for one node) and any further {@code key=value} properties.
     */
    static CounterNode start(String id, int raftPort, String peers, Path dataDir, String... extra) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.probes.enabled=true",
                "management.endpoint.health.show-details=always",
                CounterApplication.PREFIX + ".node-id=" + id,
                CounterApplication.PREFIX + ".raft-port=" + raftPort,
                CounterApplication.PREFIX + ".peers=" + peers,
                CounterApplication.PREFIX + ".data-dir=" + dataDir.resolve(id),
                CounterApplication.PREFIX + ".election-timeout-min=300ms",
                CounterApplication.PREFIX + ".election-timeout-max=600ms",
                CounterApplication.PREFIX + ".heartbeat-interval=50ms"));
        properties.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CounterApplication.class)
                .properties(properties.toArray(String[]::new)).run();
        return new CounterNode(id, context);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).DELETE());
    }

    boolean ready() {
        return get("/actuator/health/readiness").statusCode() == 200;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} every 20 ms for up to {@code seconds} (generous: the machine may be loaded). */
    static void await(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + seconds + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        context.close();
    }
}

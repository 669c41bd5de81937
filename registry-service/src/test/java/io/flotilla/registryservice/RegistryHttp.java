package io.flotilla.registryservice;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A small HTTP client for the registry API in tests: real sockets, answers as status + headers + body. */
public final class RegistryHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final String token;
    private final Duration timeout;

    public RegistryHttp(String baseUrl) {
        this(baseUrl, null, Duration.ofSeconds(15));
    }

    public RegistryHttp(String baseUrl, String token, Duration timeout) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.timeout = timeout;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    public Answer put(String path, String body) {
        return send("PUT", path, body);
    }

    public Answer post(String path, String json) {
        return send("POST", path, json);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null);
    }

    /** Registers {@code instanceId} of {@code service} on 127.0.0.1:{@code port} with a TTL. */
    public Answer register(String service, String instanceId, int port, long ttlSeconds) {
        return post("/v1/services/" + service + "/instances", "{\"instanceId\":\"" + instanceId
                + "\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"ttlSeconds\":" + ttlSeconds + "}");
    }

    public Answer send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && (body.startsWith("{") || body.startsWith("["))) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("X-Flotilla-Index"),
                    response.headers().firstValue("Retry-After"),
                    response.headers().firstValue("Content-Type"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + baseUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Answer(int status, String body, Optional<String> index, Optional<String> retryAfter,
                         Optional<String> contentType) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public long indexValue() {
            return Long.parseLong(index.orElseThrow(() -> new AssertionError("no X-Flotilla-Index in " + this)));
        }
    }
}

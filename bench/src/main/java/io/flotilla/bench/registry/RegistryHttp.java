package io.flotilla.bench.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

/** Asynchronous calls to a registry node's HTTP API; a non-2xx answer fails the future. */
final class RegistryHttp {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final String baseUrl;

    RegistryHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    CompletableFuture<String> send(String method, String path, String json, byte[] raw) {
        HttpRequest.BodyPublisher body = json != null ? HttpRequest.BodyPublishers.ofString(json)
                : raw != null ? HttpRequest.BodyPublishers.ofByteArray(raw) : HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new CompletionException(new IllegalStateException(method + " " + path + " -> "
                        + response.statusCode() + " " + response.body()));
            }
            return response.body();
        });
    }

    String sendAndWait(String method, String path, String json) {
        return send(method, path, json, null).join();
    }
}

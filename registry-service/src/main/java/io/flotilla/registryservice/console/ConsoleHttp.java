package io.flotilla.registryservice.console;

import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The console's calls to other nodes (their {@code /v1/cluster}), to the coordinator, and to this node's own
 * {@code /v1} write path. Short time-outs: a page shows what did not answer rather than waiting for it.
 */
class ConsoleHttp {

    /** An answer whose body was read; {@code status} 0 when the call itself failed ({@code body} then says why). */
    record Answer(int status, String body) {

        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final HttpClient client;
    private final JsonMapper json;
    private final Duration timeout;

    ConsoleHttp(JsonMapper json, Duration timeout, SSLContext sslContext) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1);
        this.client = (sslContext == null ? builder : builder.sslContext(sslContext)).build();
        this.json = json;
        this.timeout = timeout;
    }

    /** GETs a JSON answer; empty when the call failed or was not a 2xx. */
    <T> Optional<T> get(String url, Class<T> type) {
        Answer answer = send(HttpRequest.newBuilder(URI.create(url)).GET());
        if (!answer.ok()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(answer.body(), type));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Answer getAnswer(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /**
     * POSTs a JSON body with the user's bearer token (none when {@code token} is null), waiting up to
     * {@code writeTimeout}: a write may have to wait for its commit, longer than a read.
     */
    Answer post(String url, Object body, String token, Duration writeTimeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(writeTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    JsonMapper json() {
        return json;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.build();
            if (built.timeout().isEmpty()) {
                built = request.timeout(timeout).build();
            }
            HttpResponse<String> response = client.send(built,
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, "unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }
}

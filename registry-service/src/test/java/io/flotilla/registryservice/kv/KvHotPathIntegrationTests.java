package io.flotilla.registryservice.kv;

import io.flotilla.testsupport.process.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KV hot path answers exactly as {@link KvController} does, on a 3-node registry with a token, at the leader and
 * at a follower: each request is sent once in the shape {@link KvHotPathFilter} serves and once with a parameter the
 * controller ignores but the filter does not recognise ({@code via=controller}), and the two answers must match in
 * status, headers and body (indexes, which differ between any two writes, are compared as placeholders).
 */
class KvHotPathIntegrationTests {

    private static final String TOKEN = "hot-path-token";

    /**
     * What no two answers share (the moment, the connection's handling) and the body's framing: the hot path sends a
     * {@code Content-Length}, Spring MVC's asynchronous answer is chunked; both carry the same bytes.
     */
    private static final List<String> VOLATILE_HEADERS = List.of("date", "keep-alive", "connection",
            "content-length", "transfer-encoding");

    private static TestRegistry registry;

    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        registry = TestRegistry.builder("kv-hot-path").nodes(3)
                .args("--flotilla.registry.server.token=" + TOKEN).start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void writesAndReadsAnswerAsTheControllerAtTheLeaderAndAtAFollower() {
        for (URI node : List.of(leader(), follower())) {
            String k = "hot/" + node.getPort();
            same(node, "PUT", "/v1/kv/" + k + "/a", "", "blue");
            same(node, "PUT", "/v1/kv/" + k + "/a", "?cas=0", "green");
            same(node, "PUT", "/v1/kv/" + k + "/a", "?cas=1", "green");
            same(node, "PUT", "/v1/kv/" + k + "/leased", "?lease=987654321", "x");
            same(node, "GET", "/v1/kv/" + k + "/a", "", null);
            same(node, "GET", "/v1/kv/" + k + "/a", "?consistency=stale", null);
            same(node, "GET", "/v1/kv/" + k + "/a", "?min-index=1", null);
            same(node, "GET", "/v1/kv/" + k + "/missing", "", null);
            same(node, "GET", "/v1/kv/" + k + "/a", "?consistency=sometimes", null);
            same(node, "GET", "/v1/kv/" + k + "/a", "?consistency=linearizable&min-index=3", null);
            same(node, "DELETE", "/v1/kv/" + k + "/missing", "", null);
            same(node, "DELETE", "/v1/kv/" + k + "/a", "?cas=1", null);
            same(node, "PUT", "/v1/kv/" + "k".repeat(4096), "", "too long a key");
            same(node, "POST", "/v1/kv/" + "p".repeat(4096), "?sequential", "too long a prefix");
        }
    }

    @Test
    void theHotPathServesWhatItRecognises() {
        // The one visible difference: the hot path frames its body by length, Spring MVC's asynchronous answer chunks it.
        Answer hot = send(follower(), "PUT", "/v1/kv/hot/framing", "", "v", true);
        Answer controller = send(follower(), "PUT", "/v1/kv/hot/framing", "?via=controller", "v", true);
        assertThat(hot.headers()).containsKey("content-length").doesNotContainKey("transfer-encoding");
        assertThat(controller.headers()).containsKey("transfer-encoding");
    }

    @Test
    void deletesAndSequentialKeysAnswerAsTheController() {
        for (URI node : List.of(leader(), follower())) {
            String k = "hot-del/" + node.getPort();
            for (String variant : List.of("hot", "mvc")) {
                assertThat(send(node, "PUT", "/v1/kv/" + k + "/" + variant, "", "v", true).status()).isEqualTo(200);
            }
            Answer hot = send(node, "DELETE", "/v1/kv/" + k + "/hot", "", null, true);
            Answer mvc = send(node, "DELETE", "/v1/kv/" + k + "/mvc", "?via=controller", null, true);
            assertThat(hot.status()).isEqualTo(204);
            assertThat(normalised(hot, Function.identity())).isEqualTo(normalised(mvc, Function.identity()));
            assertThat(send(node, "GET", "/v1/kv/" + k + "/hot", "", null, true).status()).isEqualTo(404);

            // Two sequential keys under each prefix: the first answer has no predecessor, the second names the first.
            for (int i = 0; i < 2; i++) {
                Answer created = send(node, "POST", "/v1/kv/" + k + "/queue-hot", "?sequential", "me", true);
                Answer controller = send(node, "POST", "/v1/kv/" + k + "/queue-mvc", "?sequential&via=controller",
                        "me", true);
                assertThat(created.status()).isEqualTo(201);
                assertThat(normalised(created, body -> body.replace("queue-hot", "queue-mvc")))
                        .isEqualTo(normalised(controller, Function.identity()));
            }
        }
    }

    @Test
    void aRequestWithoutTheTokenIsRefusedBeforeTheHotPath() {
        URI node = follower();
        Answer hot = send(node, "PUT", "/v1/kv/hot/no-token", "", "v", false);
        Answer mvc = send(node, "PUT", "/v1/kv/hot/no-token", "?via=controller", "v", false);
        assertThat(hot.status()).isEqualTo(401);
        assertThat(normalised(hot, Function.identity())).isEqualTo(normalised(mvc, Function.identity()));
        assertThat(send(node, "GET", "/v1/kv/hot/no-token", "?consistency=stale", null, true).status())
                .isEqualTo(404);
    }

    /** Sends the request in the hot path's shape and in the controller's, and requires the same answer. */
    private static void same(URI node, String method, String path, String query, String body) {
        Answer hot = send(node, method, path, query, body, true);
        String controllerQuery = query.isEmpty() ? "?via=controller" : query + "&via=controller";
        Answer controller = send(node, method, path, controllerQuery, body, true);
        assertThat(normalised(hot, Function.identity()))
                .as("%s %s%s at %s", method, path, query, node)
                .isEqualTo(normalised(controller, Function.identity()));
    }

    private static Answer normalised(Answer answer, Function<String, String> body) {
        Map<String, List<String>> headers = new TreeMap<>();
        answer.headers().forEach((name, values) -> {
            if (!VOLATILE_HEADERS.contains(name)) {
                headers.put(name, "x-flotilla-index".equals(name) ? List.of("N") : values);
            }
        });
        return new Answer(answer.status(), headers, body.apply(answer.body()).replaceAll("\\d+", "N"));
    }

    private static Answer send(URI node, String method, String path, String query, String body, boolean token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.resolve(path + query))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/octet-stream");
        }
        if (token) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        try {
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + query + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI leader() {
        return registry.awaitLeader().address();
    }

    private static URI follower() {
        String leader = registry.awaitLeader().id();
        return registry.nodes().stream().filter(node -> !node.id().equals(leader)).findFirst().orElseThrow().address();
    }

    private record Answer(int status, Map<String, List<String>> headers, String body) {
    }
}

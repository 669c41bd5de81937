package io.flotilla.testsupport.network;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectingProxyTests {

    private final AtomicInteger handled = new AtomicInteger();
    private HttpServer server;
    private FaultInjectingProxy proxy;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startServerAndProxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            handled.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("handled " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        proxy = FaultInjectingProxy.to(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.stop(0);
        client.close();
    }

    @Test
    void requestsWithoutAFaultPassThroughOnOneConnection() throws Exception {
        assertThat(post("/a").body()).isEqualTo("handled /a");
        assertThat(post("/b").body()).isEqualTo("handled /b");

        assertThat(proxy.requestLines()).containsExactly("POST /a HTTP/1.1", "POST /b HTTP/1.1");
        assertThat(proxy.faultsInjected()).isZero();
    }

    @Test
    void aLostAnswerWasHandledByTheServerButNeverReachesTheClient() throws Exception {
        post("/warm-up");
        proxy.loseNextAnswer(line -> line.contains("/lost"));

        assertThatThrownBy(() -> post("/lost")).isInstanceOf(IOException.class);
        assertThat(handled.get()).isEqualTo(2);
        assertThat(proxy.faultsInjected()).isEqualTo(1);
        assertThat(post("/after").body()).as("the fault was used once").isEqualTo("handled /after");
    }

    @Test
    void anInjectedAnswerNeverReachesTheServer() throws Exception {
        proxy.answerNextInstead(line -> line.startsWith("POST /refused"), 503, "{\"title\":\"injected\"}");

        HttpResponse<String> response = post("/refused");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"title\":\"injected\"}");
        assertThat(handled.get()).isZero();
    }

    private HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(proxy.uri().resolve(path)).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.flotilla.registryservice.console;

import io.flotilla.registryservice.RegistryHttp;
import io.flotilla.registryservice.RegistryServiceApplication;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's pages and writes on one registry node with a token, over HTTP (the browser test in e2e drives the
 * same pages in Chromium). A console write goes through the registry's own write path and token check; a refused
 * one changes nothing.
 */
@SpringBootTest(classes = RegistryServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class ConsoleIntegrationTests {

    private static final int HTTP_PORT = PortProbe.freePort();
    private static final int RAFT_PORT = PortProbe.freePort();
    private static final String TOKEN = "console-test-token-0123456789";
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RegistryHttp api;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path dataDir = Files.createTempDirectory("registry-console-tests");
        registry.add("server.port", () -> HTTP_PORT);
        registry.add("flotilla.registry.server.raft-port", () -> RAFT_PORT);
        registry.add("flotilla.registry.server.data-dir", dataDir::toString);
        registry.add("flotilla.registry.server.token", () -> TOKEN);
        registry.add("flotilla.registry.server.election-timeout-min", () -> "150ms");
        registry.add("flotilla.registry.server.election-timeout-max", () -> "300ms");
        // Nothing listens here: the pages must say so rather than fail.
        registry.add("flotilla.registry.server.console.coordinator-url", () -> "http://127.0.0.1:" + PortProbe.freePort());
    }

    @BeforeEach
    void awaitLeader() {
        if (api != null) {
            return;
        }
        api = new RegistryHttp(BASE, TOKEN, Duration.ofSeconds(15));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (api.get("/actuator/health/readiness").status() != 200) {
            assertThat(System.nanoTime()).as("single node elects itself and is ready").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void everyPageRendersAndSaysWhatItCannotReach() throws Exception {
        api.register("catalog", "c-1", 9101, 30);
        assertThat(get("/ui/services", null).body()).contains("instance-catalog--c-1", "127.0.0.1:9101");
        // The pages that call other nodes come at once and ask in their live part.
        assertThat(get("/ui/cluster", null).body()).contains("asking every member");
        HttpResponse<String> cluster = get("/ui/cluster/live", null);
        assertThat(cluster.statusCode()).isEqualTo(200);
        assertThat(cluster.body()).contains("LEADER", "does not answer");
        assertThat(get("/ui/transactions?filter=flagged", null).body()).contains("asking the coordinator");
        HttpResponse<String> transactions = get("/ui/transactions/live?filter=flagged", null);
        assertThat(transactions.statusCode()).isEqualTo(200);
        assertThat(transactions.body()).contains("the coordinator is unreachable");
        assertThat(get("/ui/transactions/no-such-xid/live", null).body()).contains("the coordinator is unreachable");
        assertThat(get("/ui/transactions/follow?xid=a%20b", null).headers().firstValue("Location"))
                .hasValue("/ui/transactions/a%20b");
        assertThat(get("/ui/kv", null).statusCode()).isEqualTo(200);
        assertThat(get("/ui/", null).statusCode()).isEqualTo(303);
        assertThat(get("/webjars/htmx.org/dist/htmx.min.js", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aDrainWithoutTheTokenChangesNothingAndOneWithItKeepsTheLease() throws Exception {
        long leaseId = api.register("billing", "b-1", 9102, 30).json().get("leaseId").asLong();
        String before = api.get("/v1/services/billing/instances").body();

        HttpResponse<String> refused = post("/ui/services/billing/instances/b-1/status", "status=DRAINING", null);
        assertThat(refused.body()).contains("sign in first");
        HttpResponse<String> wrongToken = post("/ui/services/billing/instances/b-1/status", "status=DRAINING",
                "not-the-token");
        assertThat(wrongToken.body()).contains("sign in first");
        assertThat(api.get("/v1/services/billing/instances").body()).isEqualTo(before);

        HttpResponse<String> drained = post("/ui/services/billing/instances/b-1/status", "status=DRAINING", TOKEN);
        assertThat(drained.body()).contains("b-1 is DRAINING", "data-status=\"DRAINING\"");
        JsonNode instance = api.get("/v1/services/billing/instances").json().get(0);
        assertThat(instance.get("metadata").get("status").asString()).isEqualTo("DRAINING");
        assertThat(instance.get("leaseId").asLong()).as("the instance keeps its lease").isEqualTo(leaseId);

        post("/ui/services/billing/instances/b-1/status", "status=UP", TOKEN);
        assertThat(api.get("/v1/services/billing/instances").json().get(0).get("metadata").has("status")).isFalse();
    }

    @Test
    void aBadWeightIsRefusedAndChangesNothing() throws Exception {
        api.register("shipping", "s-1", 9103, 30);
        String before = api.get("/v1/services/shipping/instances").body();
        for (String weight : new String[] {"abc", "-1", "10001", ""}) {
            assertThat(post("/ui/services/shipping/instances/s-1/weight", "weight=" + weight, TOKEN).body())
                    .contains("weight must be 0..10000");
        }
        assertThat(api.get("/v1/services/shipping/instances").body()).isEqualTo(before);
        assertThat(post("/ui/services/shipping/instances/s-1/weight", "weight=7", TOKEN).body())
                .contains("s-1 now has weight 7");
        assertThat(api.get("/v1/services/shipping/instances").json().get(0).get("weight").asInt()).isEqualTo(7);
        assertThat(post("/ui/services/shipping/instances/nobody/weight", "weight=7", TOKEN).body())
                .contains("no instance nobody of shipping");
    }

    @Test
    void signingInNeedsTheRegistrysToken() throws Exception {
        assertThat(post("/ui/login", "token=wrong", null).statusCode()).isEqualTo(401);
        HttpResponse<String> signedIn = post("/ui/login", "token=" + TOKEN, null);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .contains(ConsoleToken.COOKIE + "=", "HttpOnly", "SameSite=Strict", "Path=/ui"));
    }

    @Test
    void locksAreReadFromTheLockStartersKeys() throws Exception {
        long lease = api.post("/v1/leases", "{\"ttlSeconds\":30}").json().get("leaseId").asLong();
        api.post("/v1/kv/flotilla/locks/invoices?sequential&lease=" + lease, "holder-1");
        api.post("/v1/kv/flotilla/locks/invoices?sequential&lease=" + lease, "waiter-2");
        String page = get("/ui/kv?prefix=flotilla/", null).body();
        assertThat(page).contains("lock-invoices", "holder-1", "waiter-2");
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Cookie", ConsoleToken.COOKIE + "=" + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            request.header("Cookie", ConsoleToken.COOKIE + "=" + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

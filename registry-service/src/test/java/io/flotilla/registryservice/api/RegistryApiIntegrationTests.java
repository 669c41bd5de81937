package io.flotilla.registryservice.api;

import io.flotilla.registry.api.RegistryProblemType;
import io.flotilla.registryservice.RegistryHttp;
import io.flotilla.registryservice.RegistryServiceApplication;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One registry node (a complete single-member cluster) on a real port, driven over HTTP. */
@SpringBootTest(classes = RegistryServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class RegistryApiIntegrationTests {

    private static final int HTTP_PORT = PortProbe.freePort();
    private static final int RAFT_PORT = PortProbe.freePort();
    private static RegistryHttp http;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path dataDir = Files.createTempDirectory("registry-api-tests");
        registry.add("server.port", () -> HTTP_PORT);
        registry.add("flotilla.registry.server.raft-port", () -> RAFT_PORT);
        registry.add("flotilla.registry.server.data-dir", dataDir::toString);
        registry.add("flotilla.registry.server.election-timeout-min", () -> "150ms");
        registry.add("flotilla.registry.server.election-timeout-max", () -> "300ms");
        registry.add("flotilla.registry.server.health-check-interval", () -> "200ms");
        registry.add("management.prometheus.metrics.export.enabled", () -> "true");
    }

    /** Runs once the context (started by the Spring extension before each test instance) is up. */
    @BeforeEach
    void awaitLeader() {
        if (http != null) {
            return;
        }
        http = new RegistryHttp("http://127.0.0.1:" + HTTP_PORT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (http.get("/actuator/health/readiness").status() != 200) {
            assertThat(System.nanoTime()).as("single node elects itself and is ready").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void registeredInstanceIsListedWithStatusAndIndex() {
        RegistryHttp.Answer registered = http.register("orders", "o-1", 9001, 30);
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().get("instanceId").asString()).isEqualTo("o-1");
        long leaseId = registered.json().get("leaseId").asLong();
        assertThat(leaseId).isPositive();

        RegistryHttp.Answer listed = http.get("/v1/services/orders/instances");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.indexValue()).isGreaterThanOrEqualTo(registered.indexValue());
        JsonNode instance = listed.json().get(0);
        assertThat(instance.get("host").asString()).isEqualTo("127.0.0.1");
        assertThat(instance.get("port").asInt()).isEqualTo(9001);
        assertThat(instance.get("status").asString()).isEqualTo("UP");
        assertThat(instance.get("leaseId").asLong()).isEqualTo(leaseId);
        assertThat(http.get("/v1/services").json().toString()).contains("\"orders\"");
        assertThat(http.get("/v1/services/orders/instances?consistency=stale").json().size()).isEqualTo(1);
    }

    @Test
    void reRegisteringUpdatesTheInstanceOnItsLiveLease() {
        long leaseId = http.register("payments", "p-1", 9001, 30).json().get("leaseId").asLong();
        RegistryHttp.Answer again = http.register("payments", "p-1", 9002, 30);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("leaseId").asLong()).isEqualTo(leaseId);
        JsonNode instances = http.get("/v1/services/payments/instances").json();
        assertThat(instances.size()).isEqualTo(1);
        assertThat(instances.get(0).get("port").asInt()).isEqualTo(9002);
    }

    @Test
    void heartbeatRenewsAndUnknownInstanceIs404() {
        http.register("billing", "b-1", 9001, 30);
        RegistryHttp.Answer beat = http.put("/v1/services/billing/instances/b-1/heartbeat", null);
        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.json().get("ttlSeconds").asLong()).isEqualTo(30);
        RegistryHttp.Answer unknown = http.put("/v1/services/billing/instances/nobody/heartbeat", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
    }

    @Test
    void deregisterRemovesTheInstanceAndIsIdempotent() {
        http.register("mail", "m-1", 9001, 30);
        assertThat(http.delete("/v1/services/mail/instances/m-1").status()).isEqualTo(204);
        assertThat(http.get("/v1/services/mail/instances").json().size()).isZero();
        assertThat(http.delete("/v1/services/mail/instances/m-1").status()).isEqualTo(204);
    }

    @Test
    void badInputIs400AndWritesNothing() {
        long before = http.get("/v1/cluster").json().get("commitIndex").asLong();
        String[] bodies = {
                "{\"host\":\"127.0.0.1\",\"port\":70000}",
                "{\"host\":\"127.0.0.1\",\"port\":80,\"ttlSeconds\":0}",
                "{\"host\":\"127.0.0.1\",\"port\":80,\"weight\":-1}",
                "{\"port\":80}",
                "{\"host\":\"127.0.0.1\",\"port\":80,\"metadata\":{\"big\":\"" + "x".repeat(17 * 1024) + "\"}}",
                "{not json",
        };
        for (String body : bodies) {
            RegistryHttp.Answer answer = http.post("/v1/services/shop/instances", body);
            assertThat(answer.status()).as(body.length() > 80 ? body.substring(0, 80) : body).isEqualTo(400);
            assertThat(answer.contentType()).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
            assertThat(answer.body()).contains("\"type\":\"" + RegistryProblemType.INVALID_REQUEST.uri() + "\"");
        }
        assertThat(http.register("bad%20name!", "x", 80, 10).status()).isEqualTo(400);
        RegistryHttp.Answer tooBig = http.put("/v1/kv/too-big", "v".repeat(512 * 1024 + 1));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.body()).contains("at most 524288 bytes (512 KiB)");
        assertThat(tooBig.contentType()).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(http.post("/v1/leases", "{\"ttlSeconds\":0}").status()).isEqualTo(400);
        assertThat(http.get("/v1/services?consistency=sometimes").status()).isEqualTo(400);
        assertThat(http.get("/v1/cluster").json().get("commitIndex").asLong()).isEqualTo(before);
        assertThat(http.get("/v1/services/shop/instances").json().size()).isZero();
    }

    @Test
    void kvPutGetCasAndDelete() {
        RegistryHttp.Answer put = http.put("/v1/kv/config/app/color", "blue");
        assertThat(put.status()).isEqualTo(200);
        long modIndex = put.json().get("modIndex").asLong();
        JsonNode entry = http.get("/v1/kv/config/app/color").json();
        assertThat(entry.get("key").asString()).isEqualTo("config/app/color");
        assertThat(new String(Base64.getDecoder().decode(entry.get("value").asString()), StandardCharsets.UTF_8))
                .isEqualTo("blue");
        assertThat(http.get("/v1/kv/config/app/color?raw").body()).isEqualTo("blue");

        RegistryHttp.Answer mismatch = http.put("/v1/kv/config/app/color?cas=" + (modIndex + 100), "red");
        assertThat(mismatch.status()).isEqualTo(409);
        assertThat(mismatch.body()).contains("\"type\":\"" + RegistryProblemType.VERSION_MISMATCH.uri() + "\"");
        RegistryHttp.Answer swapped = http.put("/v1/kv/config/app/color?cas=" + modIndex, "red");
        assertThat(swapped.status()).isEqualTo(200);
        assertThat(http.put("/v1/kv/config/app/color?cas=0", "green").status()).as("create-only").isEqualTo(409);

        http.put("/v1/kv/config/app/size", "xl");
        JsonNode all = http.get("/v1/kv/config/app?recurse").json();
        assertThat(all.size()).isEqualTo(2);

        assertThat(http.delete("/v1/kv/config/app/color?cas=" + modIndex).status()).isEqualTo(409);
        assertThat(http.delete("/v1/kv/config/app/color?cas=" + swapped.json().get("modIndex").asLong()).status())
                .isEqualTo(204);
        RegistryHttp.Answer missing = http.get("/v1/kv/config/app/color");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.index()).isPresent();
        assertThat(http.delete("/v1/kv/config/app/color").status()).isEqualTo(404);
    }

    @Test
    void aValueSentAsCurlSendsItByDefaultIsKeptAsSent() throws Exception {
        // curl -X PUT -d 'a=1&b' sends application/x-www-form-urlencoded; the value is still the body's bytes.
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + HTTP_PORT;
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/kv/form/value?cas=0"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("a=1&b=%20x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(http.get("/v1/kv/form/value?raw").body()).isEqualTo("a=1&b=%20x");
        assertThat(http.put("/v1/kv/form/value?cas=0", "again").status()).as("?cas=0 was read from the query")
                .isEqualTo(409);

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                        URI.create(base + "/v1/kv/form/queue?sequential"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("job=42")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
        String key = new RegistryHttp.Answer(post.statusCode(), post.body(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty()).json().get("key").asString();
        assertThat(http.get("/v1/kv/" + key + "?raw").body()).isEqualTo("job=42");
    }

    @Test
    void sequentialKeysOnALeaseGoWhenTheLeaseIsRevoked() {
        RegistryHttp.Answer lease = http.post("/v1/leases", "{\"ttlSeconds\":30}");
        assertThat(lease.status()).isEqualTo(201);
        long leaseId = lease.json().get("leaseId").asLong();
        RegistryHttp.Answer first = http.post("/v1/kv/locks/job?sequential&lease=" + leaseId, "a");
        RegistryHttp.Answer second = http.post("/v1/kv/locks/job?sequential&lease=" + leaseId, "b");
        assertThat(first.status()).isEqualTo(201);
        String firstKey = first.json().get("key").asString();
        assertThat(firstKey).matches("locks/job/\\d{20}");
        assertThat(firstKey).isLessThan(second.json().get("key").asString());
        assertThat(first.json().get("predecessor").isNull()).as("first in the queue: no predecessor").isTrue();
        assertThat(second.json().get("predecessor").asString()).isEqualTo(firstKey);
        assertThat(http.put("/v1/leases/" + leaseId + "/keepalive", null).status()).isEqualTo(200);
        assertThat(http.get("/v1/leases/" + leaseId).json().get("keys").size()).isEqualTo(2);

        assertThat(http.delete("/v1/leases/" + leaseId).status()).isEqualTo(204);
        assertThat(http.get("/v1/kv/locks/job?recurse").json().size()).isZero();
        assertThat(http.put("/v1/leases/" + leaseId + "/keepalive", null).status()).isEqualTo(404);
        assertThat(http.post("/v1/kv/locks/job?sequential&lease=" + leaseId, "c").status()).isEqualTo(404);
        assertThat(http.post("/v1/kv/locks/job", "no sequential").status()).isEqualTo(400);
    }

    @Test
    void blockingQueryReturnsOnChangeOrAtTheWait() throws Exception {
        http.put("/v1/kv/watched/key", "1");
        long index = http.get("/v1/kv/watched/key").indexValue();
        CompletableFuture<RegistryHttp.Answer> watch = CompletableFuture.supplyAsync(
                () -> http.get("/v1/kv/watched/key?index=" + index + "&wait=30s"));
        Thread.sleep(300);
        assertThat(watch).isNotDone();
        http.put("/v1/kv/watched/key", "2");
        RegistryHttp.Answer changed = watch.get(20, TimeUnit.SECONDS);
        assertThat(changed.indexValue()).isGreaterThan(index);
        assertThat(changed.json().get("value").asString()).isEqualTo(Base64.getEncoder().encodeToString("2".getBytes()));

        // A write to another key does not answer the watch: only its own key moves its index.
        long unchanged = changed.indexValue();
        CompletableFuture<RegistryHttp.Answer> quiet = CompletableFuture.supplyAsync(
                () -> http.get("/v1/kv/watched/key?index=" + unchanged + "&wait=1s"));
        http.put("/v1/kv/watched/other", "x");
        http.delete("/v1/kv/watched/other");
        RegistryHttp.Answer stillSame = quiet.get(20, TimeUnit.SECONDS);
        assertThat(stillSame.indexValue()).isEqualTo(unchanged);

        long idle = http.get("/v1/services/nothing-here/instances").indexValue();
        RegistryHttp.Answer timedOut = http.get("/v1/services/nothing-here/instances?index=" + idle + "&wait=300ms");
        assertThat(timedOut.status()).isEqualTo(200);
        assertThat(timedOut.indexValue()).isEqualTo(idle);
    }

    @Test
    void failingHealthCheckMarksTheInstanceDown() throws Exception {
        int closedPort = PortProbe.freePort();
        http.post("/v1/services/checked/instances", "{\"instanceId\":\"c-1\",\"host\":\"127.0.0.1\",\"port\":"
                + closedPort + ",\"metadata\":{\"healthCheckUrl\":\"http://127.0.0.1:" + closedPort + "/health\"}}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!http.get("/v1/services/checked/instances").json().get(0).get("status").asString().equals("DOWN")) {
            assertThat(System.nanoTime()).as("probe marks it DOWN").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void clusterOfOneNamesItselfLeader() {
        JsonNode cluster = http.get("/v1/cluster").json();
        assertThat(cluster.get("nodeId").asString()).isEqualTo("n1");
        assertThat(cluster.get("leaderId").asString()).isEqualTo("n1");
        assertThat(cluster.get("members").get(0).get("role").asString()).isEqualTo("LEADER");
        assertThat(cluster.get("members").get(0).get("address").asString()).isEqualTo("127.0.0.1:" + RAFT_PORT);
        assertThat(cluster.get("members").get(0).get("httpAddress").asString())
                .as("the address the node published").isEqualTo("http://127.0.0.1:" + HTTP_PORT);
    }

    @Test
    void operationsEndpointsAnswer() {
        assertThat(http.get("/actuator/health").body()).contains("UP");
        assertThat(http.get("/actuator/prometheus").body()).contains("raft_commit_index").contains("flotilla_registry_leases");
        assertThat(http.get("/v3/api-docs").body()).contains("/v1/services/{service}/instances").contains("/v1/kv/{key}");
    }
}

package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.e2e.stack.ShopStack;
import io.flotilla.e2e.stack.StackFile.ProcessLine;
import io.flotilla.testsupport.db.DatabaseServers;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The whole shop as real processes, started from {@code scripts/shop.stack} (what {@code ./flotilla up} runs)
 * with three registry nodes and PostgreSQL for the shop's databases (XA branches must outlive a killed
 * participant, which H2's do not). Orders go through the gateway; then the registry's leader and one inventory
 * replica are killed with {@code kill -9} and orders keep coming. Every order must end CONFIRMED or CANCELLED,
 * the stock must balance against the confirmed orders, nothing may stay frozen, and no request may hang.
 */
class ShopEndToEndIntegrationTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A request slower than this counts as hung: the gateway's and services' own timeouts are far below it. */
    private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(60);
    private static final List<String> SKUS = List.of("FLT-MUG", "FLT-STICKER");
    private static final String USER = "e2e-" + UUID.randomUUID();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestDatabase inventoryDatabase;
    private static TestDatabase orderDatabase;
    private static ShopStack shop;

    @BeforeAll
    static void startTheShop(@TempDir Path dataDir) {
        inventoryDatabase = DatabaseServers.postgres().createDatabase();
        orderDatabase = DatabaseServers.postgres().createDatabase();
        shop = ShopStack.of(ROOT, dataDir)
                .value("inventory-database", datasourceArguments(inventoryDatabase))
                .value("order-database", datasourceArguments(orderDatabase))
                .value("registry-peers", "r1@127.0.0.1:{registry-1-raft},r2@127.0.0.1:{registry-2-raft},"
                        + "r3@127.0.0.1:{registry-3-raft}")
                .value("registry-addresses", "http://127.0.0.1:{registry-1},http://127.0.0.1:{registry-2},"
                        + "http://127.0.0.1:{registry-3}")
                .replaceProcess("registry", List.of(registryNode(1), registryNode(2), registryNode(3)));
        for (int node = 1; node <= 3; node++) {
            shop.port("registry-" + node);
            shop.port("registry-" + node + "-raft");
        }
        shop.start();
    }

    @AfterAll
    static void stopTheShop() {
        if (shop != null) {
            shop.close();
        }
        if (inventoryDatabase != null) {
            inventoryDatabase.close();
        }
        if (orderDatabase != null) {
            orderDatabase.close();
        }
    }

    @Test
    void ordersSettleAndStockBalancesWhileTheRegistryLeaderAndAnInventoryReplicaAreKilled() throws Exception {
        String gateway = shop.url("gateway");
        awaitTrue("the gateway routes to the shop", Duration.ofMinutes(2),
                () -> get(gateway + "/api/products").statusCode() == 200);
        Map<String, Integer> availableBefore = new HashMap<>();
        for (String sku : SKUS) {
            availableBefore.put(sku, product(gateway, sku).path("available").asInt());
        }

        assertThat(placeOrder(gateway, "FLT-MUG", 1, "TCC")).satisfies(response -> {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("CONFIRMED");
        });
        assertThat(placeOrder(gateway, "FLT-STICKER", 2, "XA")).satisfies(response -> {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("CONFIRMED");
        });

        String leader = registryLeader();
        shop.process(leader).kill();
        shop.process("inventory-1").kill();

        List<HttpResponse<String>> answers = placeOrdersConcurrently(gateway, 40, 4);
        shop.process("inventory-1").start();
        answers.addAll(placeOrdersConcurrently(gateway, 10, 2));

        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as("an order answered %s: %s", answer.statusCode(), answer.body())
                    .isIn(201, 409, 503, 504);
        }
        assertThat(answers).as("some orders were confirmed after the kills")
                .anyMatch(answer -> answer.statusCode() == 201);

        awaitTrue("every order is CONFIRMED or CANCELLED", Duration.ofMinutes(3), () -> orders(gateway).stream()
                .allMatch(order -> order.path("status").asText().matches("CONFIRMED|CANCELLED")));
        awaitTrue("the stock balances against the confirmed orders", Duration.ofMinutes(2), () -> {
            Map<String, Integer> confirmed = confirmedQuantities(orders(gateway));
            for (String sku : SKUS) {
                JsonNode product = product(gateway, sku);
                if (product.path("frozen").asInt() != 0
                        || product.path("available").asInt() != availableBefore.get(sku) - confirmed.getOrDefault(sku, 0)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static ProcessLine registryNode(int node) {
        return new ProcessLine("registry-" + node, "registry-service", "registry-" + node,
                "--flotilla.registry.server.node-id=r" + node
                        + " --flotilla.registry.server.raft-port={registry-" + node + "-raft}"
                        + " --flotilla.registry.server.peers={registry-peers}"
                        + " --flotilla.registry.server.data-dir={data}/registry-" + node);
    }

    private static String datasourceArguments(TestDatabase database) {
        return "--spring.datasource.url=" + database.jdbcUrl() + " --spring.datasource.username=" + database.username()
                + " --spring.datasource.password=" + (database.password() == null ? "" : database.password());
    }

    /**
     * The process name of the registry's current leader, asked of any node that answers, waiting out an election
     * (one may start at any moment on a loaded machine). Leadership may move again before the caller acts on it;
     * the test holds whichever node it kills.
     */
    private static String registryLeader() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (int node = 1; node <= 3; node++) {
                HttpResponse<String> cluster;
                try {
                    cluster = get(shop.url("registry-" + node) + "/v1/cluster");
                } catch (IOException notAnswering) {
                    continue;
                }
                if (cluster.statusCode() == 200) {
                    String leaderId = JSON.readTree(cluster.body()).path("leaderId").asText();
                    if (leaderId.matches("r[123]")) {
                        return "registry-" + leaderId.substring(1);
                    }
                }
            }
            Thread.sleep(200);
        }
        return fail("no registry node named a leader within 90 s");
    }

    private static List<HttpResponse<String>> placeOrdersConcurrently(String gateway, int orders, int clients)
            throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                String sku = SKUS.get(i % SKUS.size());
                String mode = i % 3 == 0 ? "XA" : "TCC";
                int quantity = 1 + i % 3;
                futures.add(pool.submit(() -> placeOrder(gateway, sku, quantity, mode)));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                answers.add(future.get());
            }
            return answers;
        }
    }

    private static HttpResponse<String> placeOrder(String gateway, String sku, int quantity, String mode)
            throws IOException, InterruptedException {
        String body = "{\"userId\":\"%s\",\"sku\":\"%s\",\"quantity\":%d,\"mode\":\"%s\"}".formatted(USER, sku, quantity, mode);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/orders"))
                .timeout(REQUEST_DEADLINE)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode product(String gateway, String sku) throws IOException, InterruptedException {
        HttpResponse<String> response = get(gateway + "/api/products/" + sku);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** This test's orders, listed through the gateway. */
    private static List<JsonNode> orders(String gateway) throws IOException, InterruptedException {
        HttpResponse<String> response = get(gateway + "/api/orders?userId=" + USER);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> orders = new ArrayList<>();
        JSON.readTree(response.body()).forEach(orders::add);
        return orders;
    }

    private static Map<String, Integer> confirmedQuantities(List<JsonNode> orders) {
        Map<String, Integer> confirmed = new HashMap<>();
        for (JsonNode order : orders) {
            if (order.path("status").asText().equals("CONFIRMED")) {
                confirmed.merge(order.path("sku").asText(), order.path("quantity").asInt(), Integer::sum);
            }
        }
        return confirmed;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_DEADLINE).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
                last = null;
            } catch (IOException | AssertionError e) {
                last = e instanceof IOException io ? io : new IllegalStateException(e);
            }
            Thread.sleep(500);
        }
        fail("not true within " + timeout + ": " + what + (last == null ? "" : " (last error: " + last + ")"));
    }
}

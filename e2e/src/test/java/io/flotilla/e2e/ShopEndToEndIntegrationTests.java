package io.flotilla.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.e2e.hostile.HostileInput;
import io.flotilla.e2e.hostile.ShopState;
import io.flotilla.e2e.security.PhaseTwoCalls;
import io.flotilla.e2e.stack.ShopStack;
import io.flotilla.e2e.stack.StackFile.ProcessLine;
import io.flotilla.testsupport.db.DatabaseServers;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.testsupport.process.JavaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 *
 * <p>Before that, on the fresh shop: forged phase-two calls are refused and change nothing, and every service
 * answers hostile input to every operation of its OpenAPI document with 4xx problem details, changing nothing.
 * Then the logs of the whole run and the actuator endpoints are searched for the stack's secrets. Last, a cart is
 * one cart on both order replicas, through the gateway too, and outlives a {@code kill -9} of one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
    void forgedPhaseTwoCallsAreRefusedAndChangeNothing() throws Exception {
        String coordinator = shop.url("tx-coordinator");
        String inventory = shop.processUrl("inventory-1");
        String key = shop.secret("phase-two-key");
        Map<String, String> coordinatorToken = Map.of("Authorization", "Bearer " + shop.secret("coordinator-token"));
        HttpResponse<String> begun = post(coordinator + "/v1/transactions",
                "{\"mode\":\"TCC\",\"timeoutMs\":300000,\"name\":\"forgery-target\"}", coordinatorToken);
        assertThat(begun.statusCode()).as(begun.body()).isEqualTo(201);
        String xid = JSON.readTree(begun.body()).path("xid").asText();
        HttpResponse<String> reserved = post(inventory + "/api/stock/reservations", "{\"sku\":\"FLT-MUG\",\"quantity\":1}",
                Map.of("X-Flotilla-Xid", xid, "X-Flotilla-Tx-Mode", "TCC"));
        assertThat(reserved.statusCode()).as(reserved.body()).isEqualTo(204);
        JsonNode branch = JSON.readTree(get(coordinator + "/v1/transactions/" + xid).body()).path("branches").get(0);
        long branchId = branch.path("branchId").asLong();
        String xaCommit = inventory + "/flotilla/tx/xa/inventory-stock/commit";
        String xaRollback = inventory + "/flotilla/tx/xa/inventory-stock/rollback";
        Map<String, String> before = shopState();

        List<PhaseTwoCalls.Call> forged = new ArrayList<>();
        for (String url : List.of(branch.path("confirmUrl").asText(), branch.path("cancelUrl").asText(), xaCommit, xaRollback)) {
            forged.add(PhaseTwoCalls.unsigned(url, xid, branchId));
            forged.add(PhaseTwoCalls.signed("a-forger's-own-key-of-at-least-32-characters", url, xid, branchId));
        }
        for (PhaseTwoCalls.Call call : forged) {
            HttpResponse<String> answer = call.send();
            assertThat(answer.statusCode()).as("%s: %s", call.url(), answer.body()).isEqualTo(401);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(answer.body()).doesNotContain(key);
        }
        assertThat(shopState()).as("the shop after %d forged calls", forged.size()).isEqualTo(before);
        assertThat(product(inventory, "FLT-MUG").path("frozen").asInt()).as("the reservation is still frozen").isPositive();

        // The coordinator's own, signed cancel gets through.
        assertThat(post(coordinator + "/v1/transactions/" + xid + "/rollback", "", Map.of()).statusCode())
                .as("a rollback without the coordinator's token").isEqualTo(401);
        assertThat(post(coordinator + "/v1/transactions/" + xid + "/rollback", "", coordinatorToken).statusCode()).isEqualTo(200);
        awaitTrue("the coordinator's cancel is accepted", Duration.ofMinutes(2), () -> JSON.readTree(
                get(coordinator + "/v1/transactions/" + xid).body()).path("status").asText().equals("ROLLED_BACK"));
        Map<String, String> rolledBack = shopState();

        // A genuine call, captured and sent again: the first delivery is harmless (the branch is done), the
        // replay is refused.
        for (String url : List.of(branch.path("cancelUrl").asText(), branch.path("confirmUrl").asText())) {
            PhaseTwoCalls.Call captured = PhaseTwoCalls.signed(key, url, xid, branchId);
            assertThat(captured.send().statusCode()).isIn(200, 409);
            HttpResponse<String> replayed = captured.send();
            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(401);
            assertThat(replayed.body()).contains("replayed").doesNotContain(key);
        }
        assertThat(shopState()).isEqualTo(rolledBack);
    }

    @Test
    @Order(2)
    void hostileInputToEveryOperationGetsProblemDetailsAndChangesNothing() throws Exception {
        Map<String, String> before = shopState();
        // With the services' tokens, so that writes are judged on their input and not only refused as unauthorized.
        Map<String, String> tokens = Map.of("registry-1", shop.secret("registry-token"),
                "lock-service", shop.secret("lock-service-token"), "tx-coordinator", shop.secret("coordinator-token"));
        HostileInput hostile = new HostileInput();
        for (String process : List.of("registry-1", "tx-coordinator", "id-service", "lock-service", "inventory-1",
                "order-service")) {
            hostile.attack(process, shop.processUrl(process), tokens.containsKey(process)
                    ? Map.of("Authorization", "Bearer " + tokens.get(process)) : Map.of());
        }
        for (String write : List.of(shop.processUrl("registry-1") + "/v1/kv/forged",
                shop.processUrl("lock-service") + "/v1/locks/forged", shop.processUrl("tx-coordinator") + "/v1/transactions")) {
            HttpResponse<String> unauthorized = post(write, "{\"owner\":\"x\",\"leaseMs\":1000}", Map.of());
            assertThat(unauthorized.statusCode()).as("a write without the token: %s", write).isEqualTo(401);
        }
        System.out.println("hostile input, answers by status:\n" + hostile.counts());
        assertThat(hostile.violations()).as("answers to hostile input that break the rules").isEmpty();
        assertThat(hostile.total()).isGreaterThan(500);
        assertThat(shopState()).as("the shop after %d hostile requests", hostile.total()).isEqualTo(before);
    }

    @Test
    @Order(3)
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

    @Test
    @Order(4)
    void everyConfirmedOrderEarnsExactlyOnePointsEntryWhileTheCoordinatorAndAReceiverAreKilled() throws Exception {
        String gateway = shop.url("gateway");
        String user = "points-" + UUID.randomUUID();
        List<HttpResponse<String>> answers = new ArrayList<>(placeOrdersConcurrently(gateway, user, 8, 2));

        // Mid-stream: the coordinator (a single node here, so its leader) and one of the ledger's replicas die
        // while orders keep coming and order-confirmed messages are being prepared, submitted and delivered.
        try (ExecutorService stream = Executors.newSingleThreadExecutor()) {
            Future<List<HttpResponse<String>>> more = stream.submit(() -> placeOrdersConcurrently(gateway, user, 12, 2));
            shop.process("tx-coordinator").kill();
            shop.process("inventory-1").kill();
            shop.process("tx-coordinator").start();
            shop.process("inventory-1").start();
            answers.addAll(more.get());
        }
        answers.addAll(placeOrdersConcurrently(gateway, user, 6, 2));
        assertThat(answers).as("some orders were confirmed").anyMatch(answer -> answer.statusCode() == 201);

        awaitTrue("every order is CONFIRMED or CANCELLED", Duration.ofMinutes(3), () -> orders(gateway, user).stream()
                .allMatch(order -> order.path("status").asText().matches("CONFIRMED|CANCELLED")));
        awaitTrue("the points ledger balances with the confirmed orders", Duration.ofMinutes(3), () -> {
            List<JsonNode> confirmed = orders(gateway, user).stream()
                    .filter(order -> order.path("status").asText().equals("CONFIRMED")).toList();
            JsonNode points = JSON.readTree(get(gateway + "/api/points/" + user).body());
            return points.path("entries").asLong() == confirmed.size() && points.path("points").asLong()
                    == confirmed.stream().mapToLong(order -> order.path("totalCents").asLong()).sum();
        });
        JsonNode points = JSON.readTree(get(gateway + "/api/points/" + user).body());
        assertThat(points.path("userId").asText()).isEqualTo(user);
        assertThat(points.path("entries").asLong()).isPositive();
    }

    @Test
    @Order(5)
    void noSecretAppearsInAnyLogOrActuatorAnswer() throws Exception {
        assertThat(shop.secrets()).isNotEmpty();
        for (JavaProcess process : shop.processes()) {
            String log = Files.readString(process.logFile());
            shop.secrets().forEach((name, secret) -> assertThat(log)
                    .as("%s's log (%s) holds the secret %s", process.name(), process.logFile(), name).doesNotContain(secret));
        }
        for (String process : List.of("registry-2", "tx-coordinator", "id-service", "lock-service", "inventory-1",
                "inventory-2", "order-service", "gateway")) {
            if (!shop.process(process).isAlive()) {
                continue;
            }
            for (String endpoint : List.of("/actuator/env", "/actuator/configprops",
                    "/actuator/env/flotilla.tx.participant.signing-keys")) {
                HttpResponse<String> answer = get(shop.processUrl(process) + endpoint);
                shop.secrets().forEach((name, secret) -> assertThat(answer.body())
                        .as("%s %s", process, endpoint).doesNotContain(secret));
            }
        }
    }

    /**
     * The cart lives in the HTTP session, which both order replicas keep in their shared database (Spring Session
     * JDBC): one session's requests, sent to each replica in turn and through the gateway, see one cart, and it
     * outlives a {@code kill -9} of the replica that made it. Its checkout, sent again after a 503 (the gateway's
     * answer while it still picks the dead replica), places each order once.
     */
    @Test
    @Order(5)
    void aCartIsOneCartOnBothOrderReplicasAndOutlivesTheKillOfEither() throws Exception {
        String gateway = shop.url("gateway");
        String first = shop.processUrl("order-service");
        String second = shop.processUrl("order-service-2");
        String session = sessionOf(inSession("PUT", first + "/api/cart/items/FLT-CAP", "{\"quantity\":1}", null));
        assertThat(inSession("PUT", second + "/api/cart/items/FLT-MUG", "{\"quantity\":2}", session).statusCode())
                .isEqualTo(200);
        Map<String, Integer> expected = Map.of("FLT-CAP", 1, "FLT-MUG", 2);
        assertThat(cart(first, session)).isEqualTo(expected);
        for (int i = 0; i < 4; i++) {
            assertThat(cart(gateway, session)).as("the cart through the gateway, read %d", i).isEqualTo(expected);
        }

        shop.process("order-service").kill();
        assertThat(cart(second, session)).as("the cart after kill -9 of the replica that made it").isEqualTo(expected);
        String user = USER + "-cart";
        List<HttpResponse<String>> checkouts = new ArrayList<>();
        awaitTrue("the checkout through the gateway is answered", Duration.ofMinutes(2), () -> {
            HttpResponse<String> checkout = inSession("POST", gateway + "/api/cart/checkout",
                    "{\"userId\":\"" + user + "\"}", session);
            checkouts.add(checkout);
            assertThat(checkout.statusCode()).as(checkout.body()).isIn(201, 503);
            return checkout.statusCode() == 201;
        });
        JsonNode placed = JSON.readTree(checkouts.getLast().body());
        assertThat(placed.path("orders").findValuesAsText("status")).containsExactly("CONFIRMED", "CONFIRMED");
        assertThat(cart(gateway, session)).isEmpty();
        HttpResponse<String> listed = get(gateway + "/api/orders?userId=" + user);
        assertThat(JSON.readTree(listed.body()).size()).as("orders of the checkout, sent %d times", checkouts.size())
                .isEqualTo(2);
    }

    private static HttpResponse<String> inSession(String method, String url, String json, String session)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_DEADLINE)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (session != null) {
            request.header("Cookie", "SESSION=" + session);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Integer> cart(String base, String session) throws IOException, InterruptedException {
        HttpResponse<String> answer = inSession("GET", base + "/api/cart", null, session);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<String, Integer> items = new HashMap<>();
        JSON.readTree(answer.body()).path("items").forEach(line -> items.put(line.path("sku").asText(),
                line.path("quantity").asInt()));
        return items;
    }

    private static String sessionOf(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("SESSION="))
                .map(cookie -> cookie.substring("SESSION=".length()).split(";", 2)[0])
                .findFirst()
                .orElseThrow(() -> new AssertionError("no SESSION cookie in " + answer.headers().map()));
    }

    /** Every row of the shop's databases, the registry's keys and instances, the coordinator's transactions. */
    private static Map<String, String> shopState() throws Exception {
        return ShopState.snapshot(List.of(inventoryDatabase, orderDatabase), shop.url("registry-1"),
                shop.url("tx-coordinator"));
    }

    private static HttpResponse<String> post(String url, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_DEADLINE)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ProcessLine registryNode(int node) {
        return new ProcessLine("registry-" + node, "registry-service", "registry-" + node,
                "--flotilla.registry.server.node-id=r" + node
                        + " --flotilla.registry.server.raft-port={registry-" + node + "-raft}"
                        + " --flotilla.registry.server.peers={registry-peers}"
                        + " --flotilla.registry.server.data-dir={data}/registry-" + node + " {secrets}");
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
        return placeOrdersConcurrently(gateway, USER, orders, clients);
    }

    private static List<HttpResponse<String>> placeOrdersConcurrently(String gateway, String user, int orders,
            int clients) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                String sku = SKUS.get(i % SKUS.size());
                String mode = i % 3 == 0 ? "XA" : "TCC";
                int quantity = 1 + i % 3;
                futures.add(pool.submit(() -> placeOrder(gateway, user, sku, quantity, mode)));
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
        return placeOrder(gateway, USER, sku, quantity, mode);
    }

    private static HttpResponse<String> placeOrder(String gateway, String user, String sku, int quantity, String mode)
            throws IOException, InterruptedException {
        String body = "{\"userId\":\"%s\",\"sku\":\"%s\",\"quantity\":%d,\"mode\":\"%s\"}".formatted(user, sku, quantity, mode);
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
        return orders(gateway, USER);
    }

    private static List<JsonNode> orders(String gateway, String user) throws IOException, InterruptedException {
        HttpResponse<String> response = get(gateway + "/api/orders?userId=" + user);
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

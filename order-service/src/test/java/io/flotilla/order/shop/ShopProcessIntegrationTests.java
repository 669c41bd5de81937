package io.flotilla.order.shop;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.order.InventoryProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end guarantees, on real processes (registry, coordinator, inventory ×2, order ×2) and real
 * PostgreSQL: orders confirmed through TCC and XA, insufficient stock rolls everything back, no oversell under 200
 * concurrent orders, one order per Idempotency-Key across replicas, and a crash of inventory mid-transaction leaves
 * every order settled and the stock balanced. A cart (in the HTTP session, Spring Session JDBC on the orders
 * database) is one cart on both order replicas and outlives a {@code kill -9} of either; with the sessions in each
 * replica's memory instead, it does not.
 */
class ShopProcessIntegrationTests {

    static Shop shop;
    static InventoryProbe inventory;

    @BeforeAll
    static void startShop() {
        shop = new Shop();
        inventory = new InventoryProbe(shop.inventoryDb.jdbcUrl(), shop.inventoryDb.username(),
                shop.inventoryDb.password() == null ? "" : shop.inventoryDb.password());
    }

    @AfterAll
    static void stopShop() {
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void tccAndXaOrdersAreConfirmed() {
        String sku = inventory.newProduct("e2e", 20);
        HttpResponse<String> tcc = shop.placeOrder(0, "e2e-tcc-" + sku, sku, 3, "TCC");
        HttpResponse<String> xa = shop.placeOrder(1, "e2e-xa-" + sku, sku, 4, "XA");
        assertThat(tcc.statusCode()).as(tcc.body()).isEqualTo(201);
        assertThat(xa.statusCode()).as(xa.body()).isEqualTo(201);
        for (HttpResponse<String> placed : List.of(tcc, xa)) {
            String orderId = JsonPath.read(placed.body(), "$.orderId");
            HttpResponse<String> read = shop.get(shop.orderUrls.get(0) + "/api/orders/" + orderId);
            assertThat(JsonPath.<String>read(read.body(), "$.status")).isEqualTo("CONFIRMED");
        }
        inventory.awaitStock(sku, new InventoryProbe.Stock(13, 0));
    }

    @Test
    void insufficientStockRollsEverythingBack() {
        String sku = inventory.newProduct("short", 5);
        for (String mode : List.of("TCC", "XA")) {
            HttpResponse<String> refused = shop.placeOrder(0, "short-" + mode + "-" + sku, sku, 6, mode);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(JsonPath.<String>read(refused.body(), "$.status")).isEqualTo("CANCELLED");
        }
        inventory.awaitStock(sku, new InventoryProbe.Stock(5, 0));
        assertThat(ordersByStatus(sku)).containsOnlyKeys("CANCELLED").containsEntry("CANCELLED", 2);
    }

    @Test
    void twoHundredConcurrentOrdersForFiftyUnitsConfirmExactlyFifty() throws Exception {
        String sku = inventory.newProduct("rush", 50);
        AtomicInteger created = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        List<String> other = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newFixedThreadPool(32)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                calls.add(clients.submit(() -> {
                    start.await();
                    HttpResponse<String> answer = shop.placeOrder(n % 2, "rush-" + sku + "-" + n, sku, 1, "TCC");
                    switch (answer.statusCode()) {
                        case 201 -> created.incrementAndGet();
                        case 409 -> conflicts.incrementAndGet();
                        default -> {
                            synchronized (other) {
                                other.add(answer.statusCode() + " " + answer.body());
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> call : calls) {
                call.get();
            }
        }
        assertThat(other).isEmpty();
        assertThat(created.get()).isEqualTo(50);
        assertThat(conflicts.get()).isEqualTo(150);
        inventory.awaitStock(sku, new InventoryProbe.Stock(0, 0));
        assertThat(ordersByStatus(sku)).containsEntry("CONFIRMED", 50).containsEntry("CANCELLED", 150);
    }

    @Test
    void sameKeyOnTwoReplicasAtOnceMakesOneOrder() throws Exception {
        String sku = inventory.newProduct("twice", 10);
        String key = "twice-" + sku;
        CountDownLatch start = new CountDownLatch(1);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(2)) {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int replica = 0; replica < 2; replica++) {
                int target = replica;
                calls.add(clients.submit(() -> {
                    start.await();
                    return shop.placeOrder(target, key, sku, 2, "TCC");
                }));
            }
            start.countDown();
            for (Future<HttpResponse<String>> call : calls) {
                answers.add(call.get());
            }
        }
        assertThat(ordersByStatus(sku)).containsEntry("CONFIRMED", 1).hasSize(1);
        inventory.awaitStock(sku, new InventoryProbe.Stock(8, 0));
        HttpResponse<String> again = shop.placeOrder(1, key, sku, 2, "TCC");
        assertThat(again.statusCode()).isEqualTo(201);
        String orderId = JsonPath.read(again.body(), "$.orderId");
        for (HttpResponse<String> answer : answers) {
            // The copy that lost the race waited on the key's lock (in the orders database) and answered with the order.
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            assertThat(JsonPath.<String>read(answer.body(), "$.orderId")).isEqualTo(orderId);
        }
    }

    @Test
    void inventoryKilledMidTransactionLeavesEveryOrderSettledAndTheStockBalanced() throws Exception {
        int initial = 400;
        String sku = inventory.newProduct("crash", initial);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                loops.add(clients.submit(() -> {
                    for (int n = 0; running.get(); n++) {
                        String mode = (n + client) % 2 == 0 ? "TCC" : "XA";
                        shop.placeOrder(client % 2, "crash-" + sku + "-" + client + "-" + n, sku, 1 + n % 3, mode);
                        sent.incrementAndGet();
                    }
                    return null;
                }));
            }
            awaitSent(sent, 20);
            shop.inventories.get(0).kill();
            awaitSent(sent, sent.get() + 20);
            shop.inventories.get(0).start();
            awaitSent(sent, sent.get() + 20);
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
        }
        awaitNoPendingOrders(sku);
        Map<String, Integer> statuses = ordersByStatus(sku);
        assertThat(statuses.keySet()).isSubsetOf("CONFIRMED", "CANCELLED");
        int sold = confirmedUnits(sku);
        // Phase two (confirms, cancels, commits of prepared XA branches) finishes once inventory is back.
        inventory.awaitStock(sku, new InventoryProbe.Stock(initial - sold, 0));
    }

    @Test
    void oneSessionSeesOneCartOnBothReplicasAndKeepsItWhenOneIsKilled() {
        String mug = inventory.newProduct("cart-mug", 10);
        String tee = inventory.newProduct("cart-tee", 10);
        String first = shop.orderUrls.get(0);
        String second = shop.orderUrls.get(1);
        String session = sessionOf(putItem(first, mug, 2, null));
        // Each request to the other replica than the one before: one cart, in the shared session store.
        putItem(second, tee, 1, session);
        putItem(first, mug, 3, session);
        assertThat(cart(second, session)).isEqualTo(Map.of(mug, 3, tee, 1));
        assertThat(cart(first, session)).isEqualTo(Map.of(mug, 3, tee, 1));

        shop.orders.get(0).kill();
        try {
            assertThat(cart(second, session)).as("the cart after kill -9 of the replica that made it")
                .isEqualTo(Map.of(mug, 3, tee, 1));
            HttpResponse<String> checkout = shop.inSession("POST", second + "/api/cart/checkout",
                    "{\"userId\":\"cart-shopper\"}", session);
            assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(201);
            assertThat(JsonPath.<List<String>>read(checkout.body(), "$.orders[*].status"))
                .containsExactly("CONFIRMED", "CONFIRMED");
            assertThat(cart(second, session)).isEmpty();
            inventory.awaitStock(mug, new InventoryProbe.Stock(7, 0));
            inventory.awaitStock(tee, new InventoryProbe.Stock(9, 0));
        }
        finally {
            shop.orders.get(0).start();
        }
    }

    /**
     * The seeds' first scheme and its failure mode: with the sessions in each replica's memory
     * ({@code flotilla.order.session.store=none}) a cart is only seen by a client that sticks to one replica (what
     * the gateway's consistent hash on the SESSION cookie does), and dies with that replica.
     */
    @Test
    void withoutASessionStoreACartLivesAndDiesWithOneReplica() {
        String mug = inventory.newProduct("memory-mug", 10);
        Shop.OrderReplica sticky = shop.startOrderReplica("shop-order-memory-1", "--flotilla.order.session.store=none");
        Shop.OrderReplica other = shop.startOrderReplica("shop-order-memory-2", "--flotilla.order.session.store=none");
        try {
            String session = sessionOf(putItem(sticky.url(), mug, 2, null));
            assertThat(cart(sticky.url(), session)).isEqualTo(Map.of(mug, 2));
            assertThat(cart(other.url(), session)).as("the other replica does not know the session").isEmpty();

            sticky.process().kill();
            assertThat(cart(other.url(), session)).as("the cart after kill -9 of its replica").isEmpty();
            HttpResponse<String> checkout = shop.inSession("POST", other.url() + "/api/cart/checkout",
                    "{\"userId\":\"cart-shopper\"}", session);
            assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(409);
            inventory.awaitStock(mug, new InventoryProbe.Stock(10, 0));
        }
        finally {
            sticky.process().close();
            other.process().close();
        }
    }

    private static HttpResponse<String> putItem(String replica, String sku, int quantity, String session) {
        HttpResponse<String> answer = shop.inSession("PUT", replica + "/api/cart/items/" + sku,
                "{\"quantity\":" + quantity + "}", session);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer;
    }

    private static Map<String, Integer> cart(String replica, String session) {
        HttpResponse<String> answer = shop.inSession("GET", replica + "/api/cart", null, session);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<String, Integer> items = new HashMap<>();
        List<Map<String, Object>> lines = JsonPath.read(answer.body(), "$.items");
        lines.forEach(line -> items.put((String) line.get("sku"), (Integer) line.get("quantity")));
        return items;
    }

    private static String sessionOf(HttpResponse<String> answer) {
        return answer.headers().allValues("Set-Cookie").stream()
            .filter(cookie -> cookie.startsWith("SESSION="))
            .map(cookie -> cookie.substring("SESSION=".length(), cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';')))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no SESSION cookie in " + answer.headers().map()));
    }

    private static void awaitSent(AtomicInteger sent, int atLeast) {
        Instant deadline = Instant.now().plusSeconds(120);
        while (sent.get() < atLeast) {
            assertThat(Instant.now()).as("orders are still being answered").isBefore(deadline);
            Shop.pause(50);
        }
    }

    private static void awaitNoPendingOrders(String sku) {
        Instant deadline = Instant.now().plusSeconds(180);
        while (ordersByStatus(sku).containsKey("PENDING")) {
            assertThat(Instant.now()).as("PENDING orders left: " + ordersByStatus(sku)).isBefore(deadline);
            Shop.pause(500);
        }
    }

    private static Map<String, Integer> ordersByStatus(String sku) {
        Map<String, Integer> counts = new HashMap<>();
        query("SELECT status, count(*) FROM orders WHERE sku = ? GROUP BY status", sku,
                row -> counts.put(row.getString(1), row.getInt(2)));
        return counts;
    }

    private static int confirmedUnits(String sku) {
        int[] units = new int[1];
        query("SELECT coalesce(sum(quantity), 0) FROM orders WHERE sku = ? AND status = 'CONFIRMED'", sku,
                row -> units[0] = row.getInt(1));
        return units[0];
    }

    private interface RowHandler {

        void accept(ResultSet row) throws SQLException;
    }

    private static void query(String sql, String sku, RowHandler handler) {
        try (Connection connection = DriverManager.getConnection(shop.orderDb.jdbcUrl(), shop.orderDb.username(),
                shop.orderDb.password() == null ? "" : shop.orderDb.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, sku);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    handler.accept(rows);
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

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
 * every order settled and the stock balanced.
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
            // The copy that lost the race waited on the key's lock (in the registry) and answered with the order.
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

package io.flotilla.order.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.flotilla.inventory.InventoryServiceApplication;
import io.flotilla.order.OrderServiceApplication;
import io.flotilla.order.ServiceConfig;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.db.DatabaseServers;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.testsupport.process.JavaProcess;
import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.testsupport.process.TestRegistry;

/**
 * The whole demo shop as real processes on loopback: a registry node and a coordinator node (each from its runnable
 * jar), two inventory-service replicas sharing one PostgreSQL database, two order-service replicas sharing another.
 * Services find each other through the registry; order ids come from registry-leased worker ids.
 */
final class Shop implements AutoCloseable {

    /** Spring Boot start-up on a 2-core machine shared with other builds can take minutes. */
    static final Duration STARTUP = Duration.ofMinutes(5);

    final TestDatabase inventoryDb = DatabaseServers.postgres().createDatabase();
    final TestDatabase orderDb = DatabaseServers.postgres().createDatabase();
    /** Every process launched, so a start-up that fails half-way still stops what it started. */
    private final List<JavaProcess> launched = new ArrayList<>();
    private TestRegistry registry;
    TestCoordinator coordinator;
    final List<JavaProcess> inventories = new ArrayList<>();
    final List<JavaProcess> orders = new ArrayList<>();
    final List<String> orderUrls = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Shop() {
        CompletableFuture<TestCoordinator> coordinatorStarting = CompletableFuture
            .supplyAsync(() -> TestCoordinator.start("shop-tx-coordinator"));
        try {
            registry = TestRegistry.builder("shop-registry").start();
            coordinator = coordinatorStarting.join();
            List<CompletableFuture<JavaProcess>> starting = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                starting.add(start(inventory(i)));
            }
            starting.forEach(process -> inventories.add(process.join()));
            starting.clear();
            for (int i = 1; i <= 2; i++) {
                int port = PortProbe.freePort();
                orderUrls.add("http://127.0.0.1:" + port);
                starting.add(start(order(i, port)));
            }
            starting.forEach(process -> orders.add(process.join()));
            awaitInstances("inventory-service", 2);
        }
        catch (RuntimeException failed) {
            coordinatorStarting.thenAccept(started -> started.process().close());
            close();
            throw failed;
        }
    }

    /** Builds and starts a process, remembering it first so that {@link #close()} stops it even if start fails. */
    private JavaProcess launch(JavaProcess.Builder builder) {
        JavaProcess process = builder.build();
        synchronized (launched) {
            launched.add(process);
        }
        return process.start();
    }

    private JavaProcess.Builder inventory(int replica) {
        int port = PortProbe.freePort();
        return JavaProcess.builder("shop-inventory-" + replica, InventoryServiceApplication.class)
            .args(common("inventory-service", port, inventoryDb))
            .healthUrl("http://127.0.0.1:" + port + "/actuator/health")
            .startTimeout(STARTUP);
    }

    private JavaProcess.Builder order(int replica, int port) {
        return order("shop-order-" + replica, port);
    }

    /**
     * Starts another order-service replica on the shop's orders database, with {@code extraArgs} (for example
     * another session store); it is stopped with the shop, or earlier by the caller.
     */
    OrderReplica startOrderReplica(String name, String... extraArgs) {
        int port = PortProbe.freePort();
        JavaProcess.Builder builder = order(name, port);
        builder.args(extraArgs);
        return new OrderReplica(launch(builder), "http://127.0.0.1:" + port);
    }

    /** An order-service replica started by {@link #startOrderReplica}. */
    record OrderReplica(JavaProcess process, String url) {
    }

    private JavaProcess.Builder order(String name, int port) {
        List<String> args = new ArrayList<>(List.of(common("order-service", port, orderDb)));
        args.addAll(List.of("--flotilla.id.state-dir=" + tempDir("ids"),
                // Generous on a loaded 2-core machine: a spurious timeout would cancel an order that could succeed.
                "--spring.http.serviceclient.inventory-service.read-timeout=30s",
                "--flotilla.order.transaction-timeout=60s", "--flotilla.order.pending-timeout=70s",
                "--flotilla.order.recovery-interval=2s"));
        return JavaProcess.builder(name, OrderServiceApplication.class)
            .args(args.toArray(String[]::new))
            .healthUrl("http://127.0.0.1:" + port + "/actuator/health")
            .startTimeout(STARTUP);
    }

    private String[] common(String service, int port, TestDatabase database) {
        return new String[] { "--spring.config.location=" + ServiceConfig.location(service), "--server.port=" + port,
                "--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + (database.password() == null ? "" : database.password()),
                "--spring.datasource.hikari.maximum-pool-size=6", "--flotilla.registry.addresses=" + registry.addressList(),
                "--flotilla.registry.host=127.0.0.1", "--flotilla.registry.ttl=5s",
                "--flotilla.registry.heartbeat-interval=1s", "--flotilla.tx.coordinator.addresses=" + coordinator.url(),
                "--flotilla.tx.participant.signing-keys=" + TestCoordinator.PHASE_TWO_KEY };
    }

    private CompletableFuture<JavaProcess> start(JavaProcess.Builder builder) {
        return CompletableFuture.supplyAsync(() -> launch(builder));
    }

    /** Waits until the registry lists {@code count} instances of {@code service}. */
    void awaitInstances(String service, int count) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> answer = get(registry.address() + "/v1/services/" + service + "/instances");
            if (answer.statusCode() == 200 && answer.body().split("\"instanceId\"").length - 1 >= count) {
                return;
            }
            pause(200);
        }
        throw new AssertionError("registry never listed " + count + " instances of " + service);
    }

    HttpResponse<String> placeOrder(int replica, String key, String sku, int quantity, String mode) {
        String body = "{\"userId\":\"shopper\",\"sku\":\"%s\",\"quantity\":%d,\"mode\":\"%s\"}".formatted(sku, quantity,
                mode);
        HttpRequest request = HttpRequest.newBuilder(URI.create(orderUrls.get(replica) + "/api/orders"))
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        return send(request);
    }

    /**
     * A request of the HTTP session {@code session} (the value of its SESSION cookie, or null for none yet), with a
     * JSON body or none.
     */
    HttpResponse<String> inSession(String method, String url, String json, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (session != null) {
            request.header("Cookie", "SESSION=" + session);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tempDir(String prefix) {
        try {
            return Files.createTempDirectory("flotilla-shop-" + prefix).toString();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        synchronized (launched) {
            launched.reversed().forEach(JavaProcess::close);
        }
        if (coordinator != null) {
            coordinator.process().close();
        }
        if (registry != null) {
            registry.close();
        }
        inventoryDb.close();
        orderDb.close();
    }
}

package io.flotilla.tx.message.crash;

import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.db.DatabaseServers;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.testsupport.process.JavaProcess;
import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.tx.api.BranchView;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionView;
import io.flotilla.tx.core.CoordinatorException;
import io.flotilla.tx.core.HttpCoordinatorClient;
import io.flotilla.tx.message.MessageTargets;
import io.flotilla.txcoordinator.TxCoordinatorApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two-phase messages under crashes, every part a real process: a three-node coordinator cluster, a producer (orders,
 * on PostgreSQL) and a receiver (a points ledger, on MariaDB). The producer dies between its local commit and the
 * submit, or before its commit; the coordinator's leader dies while deliveries are running; the receiver is down for
 * many retries. Every confirmed order must end with exactly one points entry, every other with none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageCrashIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String[] FAST_START = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};
    private static final String STARTER_AUTO_CONFIGURATIONS = "io.flotilla.tx.config.TxAutoConfiguration,"
            + "io.flotilla.tx.config.TxWebAutoConfiguration,io.flotilla.tx.config.TccAutoConfiguration,"
            + "io.flotilla.tx.config.XaAutoConfiguration,io.flotilla.tx.message.config.TxMessagesAutoConfiguration";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Node> coordinators = new ArrayList<>();
    private final RestClient http = RestClient.create();
    private final JsonMapper json = JsonMapper.builder().build();
    private HttpCoordinatorClient coordinator;
    private App producer;
    private App receiver;

    private record Node(String id, int httpPort, JavaProcess process) {
        String url() {
            return "http://127.0.0.1:" + httpPort;
        }
    }

    private record App(JavaProcess process, String url, TestDatabase database) {
    }

    @BeforeAll
    void start() throws IOException {
        int[] httpPorts = {PortProbe.freePort(), PortProbe.freePort(), PortProbe.freePort()};
        int[] raftPorts = {PortProbe.freePort(), PortProbe.freePort(), PortProbe.freePort()};
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            peers.append(i == 0 ? "" : ",").append("tx").append(i + 1).append("@127.0.0.1:").append(raftPorts[i]);
        }
        List<URI> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JavaProcess process = JavaProcess.builder("msg-tx" + (i + 1), TxCoordinatorApplication.class)
                    .args("--server.port=" + httpPorts[i], "--flotilla.coordinator.node-id=tx" + (i + 1),
                            "--flotilla.coordinator.raft-port=" + raftPorts[i],
                            "--flotilla.coordinator.peers=" + peers,
                            "--flotilla.coordinator.data-dir=" + Files.createTempDirectory("flotilla-msg-tx"),
                            "--flotilla.coordinator.phase-two.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
                            "--flotilla.coordinator.election-timeout-min=1000ms",
                            "--flotilla.coordinator.election-timeout-max=2000ms",
                            "--flotilla.coordinator.heartbeat-interval=100ms",
                            "--flotilla.coordinator.phase-two.initial-backoff=100ms",
                            "--flotilla.coordinator.phase-two.max-backoff=500ms",
                            "--flotilla.coordinator.phase-two.alert-after-attempts=3",
                            "--flotilla.coordinator.phase-two.reconcile-interval=500ms",
                            "--flotilla.coordinator.timeout-sweep-interval=200ms",
                            "--spring.autoconfigure.exclude=" + STARTER_AUTO_CONFIGURATIONS,
                            "--spring.main.banner-mode=off")
                    .maxHeap("256m").jvmOptions(FAST_START)
                    .healthUrl("http://127.0.0.1:" + httpPorts[i] + "/actuator/health")
                    .startTimeout(Duration.ofSeconds(300)).build();
            resources.add(process);
            coordinators.add(new Node("tx" + (i + 1), httpPorts[i], process));
            addresses.add(URI.create("http://127.0.0.1:" + httpPorts[i]));
        }
        coordinator = new HttpCoordinatorClient(addresses, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(20));
        String coordinatorAddresses = String.join(",", addresses.stream().map(URI::toString).toList());
        CompletableFuture<App> producerStarted = CompletableFuture.supplyAsync(
                () -> app("msg-producer", DatabaseServers.postgres().createDatabase(), coordinatorAddresses));
        CompletableFuture<App> receiverStarted = CompletableFuture.supplyAsync(
                () -> app("msg-receiver", DatabaseServers.mariadb().createDatabase(), coordinatorAddresses));
        coordinators.parallelStream().forEach(node -> node.process().start());
        producer = producerStarted.join();
        receiver = receiverStarted.join();
        awaitLeader("");
    }

    private App app(String name, TestDatabase database, String coordinatorAddresses) {
        synchronized (resources) {
            resources.add(database);
        }
        int port = PortProbe.freePort();
        JavaProcess process = JavaProcess.builder(name, MessagingApplication.class)
                .args("--server.port=" + port,
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + (database.password() == null ? "" : database.password()),
                        "--flotilla.tx.coordinator.addresses=" + coordinatorAddresses,
                        "--flotilla.tx.participant.base-url=http://127.0.0.1:" + port,
                        "--flotilla.tx.participant.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
                        "--flotilla.tx.messages.check-after=2s",
                        "--flotilla.tx.xa.enabled=false",
                        "--management.endpoint.health.group.readiness.include=readinessState")
                .maxHeap("256m").jvmOptions(FAST_START)
                .healthUrl("http://127.0.0.1:" + port + "/actuator/health")
                .startTimeout(Duration.ofSeconds(300)).build();
        synchronized (resources) {
            resources.add(process);
        }
        process.start();
        return new App(process, "http://127.0.0.1:" + port, database);
    }

    @AfterAll
    void stop() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // Best effort: the next resource still gets closed.
            }
        }
    }

    @Test
    void aProducerKilledBetweenItsLocalCommitAndTheSubmitHasItsMessageDeliveredAfterTheCheckBack() {
        String order = order();

        assertThatThrownBy(() -> confirm(order, "AFTER_COMMIT")).isInstanceOf(RestClientException.class);
        producer.process().restart();

        assertThat(count(producer, "SELECT COUNT(*) FROM crash_orders WHERE id = ?", order)).isEqualTo(1);
        await().atMost(WAIT).ignoreExceptions().until(() -> points(order) == 1);
        String xid = xidOf(order);
        await().atMost(WAIT).ignoreExceptions().until(() -> coordinator.status(xid).status() == GlobalStatus.COMMITTED);
    }

    @Test
    void aProducerKilledBeforeItsLocalCommitHasItsMessageAbortedByTheCheckBack() {
        String order = order();

        assertThatThrownBy(() -> confirm(order, "BEFORE_COMMIT")).isInstanceOf(RestClientException.class);
        producer.process().restart();

        String xid = xidOf(order);
        await().atMost(WAIT).ignoreExceptions().until(() -> coordinator.status(xid).status() == GlobalStatus.ROLLED_BACK);
        assertThat(count(producer, "SELECT COUNT(*) FROM crash_orders WHERE id = ?", order)).isZero();
        assertThat(points(order)).isZero();
    }

    @Test
    void messagesBeingDeliveredWhenTheCoordinatorLeaderDiesAreAllDeliveredOnce() {
        http.post().uri(receiver.url() + "/faults?receiveDelayMillis=300").retrieve().toBodilessEntity();
        try {
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                orders.add(order());
                confirm(orders.getLast(), "NONE");
            }
            await().atMost(WAIT).ignoreExceptions().until(() -> orders.stream().anyMatch(o -> points(o) > 0));

            Node leader = coordinators.stream().filter(node -> node.id().equals(awaitLeader(""))).findFirst()
                    .orElseThrow();
            leader.process().kill();
            awaitLeader(leader.id());
            leader.process().start();

            await().atMost(WAIT).ignoreExceptions().until(() -> orders.stream().allMatch(o -> points(o) >= 1));
            assertThat(orders).allSatisfy(o -> assertThat(points(o)).as(o).isEqualTo(1));
        } finally {
            http.post().uri(receiver.url() + "/faults?receiveDelayMillis=0").retrieve().toBodilessEntity();
        }
    }

    @Test
    void aReceiverDownForManyRetriesGetsEveryMessageOnceWhenItIsBack() {
        receiver.process().kill();
        List<String> orders = new ArrayList<>();
        List<String> xids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            orders.add(order());
            xids.add(confirm(orders.getLast(), "NONE"));
        }
        // Several failed deliveries each, recorded in the log, before the receiver returns.
        await().atMost(WAIT).ignoreExceptions().until(() -> xids.stream().allMatch(xid -> attempts(xid) >= 4));
        receiver.process().restart();

        await().atMost(WAIT).ignoreExceptions().until(() -> xids.stream()
                .allMatch(xid -> coordinator.status(xid).status() == GlobalStatus.COMMITTED));
        assertThat(orders).allSatisfy(o -> assertThat(points(o)).as(o).isEqualTo(1));
    }

    private String order() {
        return "o-" + UUID.randomUUID();
    }

    private String confirm(String order, String halt) {
        return http.post().uri(producer.url() + "/orders").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("orderId", order, "userId", "ada", "totalCents", 1250, "halt", halt,
                        "target", MessageTargets.receiver(receiver.url(), "points")))
                .retrieve().body(String.class);
    }

    private int attempts(String xid) {
        TransactionView view = coordinator.status(xid);
        return view.branches().stream().mapToInt(BranchView::attempts).min().orElse(0);
    }

    /** The message of {@code order}: the producer names each message after its order. */
    private String xidOf(String order) {
        await().atMost(WAIT).ignoreExceptions().until(() -> findXid(order) != null);
        return findXid(order);
    }

    private String findXid(String order) {
        for (Node node : coordinators) {
            try {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(node.url() + "/v1/transactions?limit=1000")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    continue;
                }
                for (JsonNode t : json.readTree(answer.body()).path("transactions")) {
                    if ("MSG".equals(t.path("mode").asString()) && order.equals(t.path("name").asString())) {
                        return t.path("xid").asString();
                    }
                }
                return null;
            } catch (IOException | RuntimeException e) {
                // This node is down or electing: ask the next.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private long points(String order) {
        return count(receiver, "SELECT COUNT(*) FROM crash_points WHERE order_id = ?", order);
    }

    private static long count(App app, String sql, String id) {
        try (Connection connection = app.database().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until some node names a leader other than {@code notThis}, and returns its id. */
    private String awaitLeader(String notThis) {
        String[] leader = new String[1];
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            for (Node node : coordinators) {
                if (!node.process().isAlive()) {
                    continue;
                }
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(node.url() + "/v1/cluster")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                String id = json.readTree(answer.body()).path("leaderId").asString();
                if (id != null && !id.isEmpty() && !"null".equals(id) && !id.equals(notThis)) {
                    leader[0] = id;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }
}

package io.flotilla.txcoordinator.transaction;

import io.flotilla.testsupport.time.ManualClock;
import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.tx.api.TxProblemType;
import io.flotilla.txcoordinator.support.CoordinatorClient;
import io.flotilla.txcoordinator.support.InProcessCoordinatorProperties;
import io.flotilla.txcoordinator.support.CoordinatorClient.Response;
import io.flotilla.txcoordinator.support.ManualClockConfiguration;
import io.flotilla.txcoordinator.support.TestParticipant;
import io.flotilla.txcoordinator.sweep.LeaderSweeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.servlet.filter.OrderedFilter;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator in-process on a real port, a real single-node Raft log on disk, and participants that are real
 * HTTP servers on loopback. Time is a {@link ManualClock} following real time: the timeout test moves it and runs
 * one sweep.
 */
@Import(ManualClockConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "flotilla.coordinator.election-timeout-min=150ms", "flotilla.coordinator.election-timeout-max=300ms",
        "flotilla.coordinator.heartbeat-interval=50ms",
        "flotilla.coordinator.phase-two.initial-backoff=50ms", "flotilla.coordinator.phase-two.max-backoff=200ms",
        "flotilla.coordinator.phase-two.alert-after-attempts=3", "flotilla.coordinator.phase-two.reconcile-interval=500ms",
        "flotilla.coordinator.timeout-sweep-interval=1h",
        "flotilla.coordinator.phase-two.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
        "management.prometheus.metrics.export.enabled=true" })
class TransactionApiIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void raft(DynamicPropertyRegistry registry) throws Exception {
        InProcessCoordinatorProperties.register(registry, "tx-api-tests");
    }

    @LocalServerPort
    int port;

    @Autowired
    ManualClock clock;

    @Autowired
    ApplicationContext context;

    @Autowired
    LeaderSweeper sweeper;

    private CoordinatorClient client;
    private TestParticipant stock;
    private TestParticipant account;

    @BeforeEach
    void setUp() {
        client = new CoordinatorClient("http://127.0.0.1:" + port);
        stock = TestParticipant.start("stock");
        account = TestParticipant.start("account");
        awaitLeader();
    }

    @AfterEach
    void tearDown() {
        stock.close();
        account.close();
    }

    @Test
    void beginAnswersCreatedWithAnActiveTransaction() {
        Response begun = client.post("/v1/transactions", "{\"mode\":\"TCC\",\"timeoutMs\":30000,\"name\":\"order\"}");

        assertThat(begun.status()).isEqualTo(201);
        assertThat(begun.text("status")).isEqualTo("ACTIVE");
        assertThat(begun.text("xid")).isNotBlank();
        assertThat(begun.text("timeoutAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(begun.raw().headers().firstValue("Location")).hasValue("/v1/transactions/" + begun.text("xid"));
        JsonNode found = client.get("/v1/transactions/" + begun.text("xid")).body();
        assertThat(found.path("mode").asString()).isEqualTo("TCC");
        assertThat(found.path("name").asString()).isEqualTo("order");
    }

    @Test
    void allBranchesConfirmedMakesTheTransactionCommitted() {
        String xid = client.begin("TCC", 30_000);
        long stockBranch = client.addBranch(xid, stock);
        long accountBranch = client.addBranch(xid, account);

        Response committed = client.post("/v1/transactions/" + xid + "/commit", null);

        assertThat(committed.status()).isEqualTo(200);
        assertThat(committed.text("status")).isIn("COMMITTING", "COMMITTED");
        JsonNode done = client.awaitStatus(xid, "COMMITTED", WAIT);
        assertThat(done.path("branches")).allSatisfy(branch -> {
            assertThat(branch.path("status").asString()).isEqualTo("COMMITTED");
            assertThat(branch.path("attempts").asInt()).isZero();
        });
        assertThat(stock.calls()).containsExactly(new TestParticipant.Call("confirm", xid, stockBranch, 200));
        assertThat(account.calls()).containsExactly(new TestParticipant.Call("confirm", xid, accountBranch, 200));
    }

    @Test
    void commitWithWaitAnswersOncePhaseTwoFinishedOrTheWaitRanOut() {
        String xid = client.begin("TCC", 30_000);
        client.addBranch(xid, stock);
        client.addBranch(xid, account);

        Response committed = client.post("/v1/transactions/" + xid + "/commit?wait=20s", null);

        assertThat(committed.text("status")).isEqualTo("COMMITTED");
        assertThat(stock.calls("confirm")).hasSize(1);
        assertThat(account.calls("confirm")).hasSize(1);

        String stuck = client.begin("TCC", 30_000);
        client.addBranch(stuck, stock);
        stock.stop();
        Response stillRunning = client.post("/v1/transactions/" + stuck + "/rollback?wait=300ms", null);
        assertThat(stillRunning.status()).isEqualTo(200);
        assertThat(stillRunning.text("status")).isEqualTo("ROLLING_BACK");
        stock.restart();
        assertThat(client.post("/v1/transactions/" + stuck + "/rollback?wait=20s", null).text("status"))
                .isEqualTo("ROLLED_BACK");
    }

    @Test
    void rollbackCancelsEveryBranch() {
        String xid = client.begin("XA", 30_000);
        client.addBranch(xid, stock);

        assertThat(client.post("/v1/transactions/" + xid + "/rollback", null).text("status"))
                .isIn("ROLLING_BACK", "ROLLED_BACK");

        client.awaitStatus(xid, "ROLLED_BACK", WAIT);
        assertThat(stock.calls()).extracting(TestParticipant.Call::action).containsExactly("cancel");
    }

    @Test
    void aConfirmFailingTwiceIsRetriedToSuccessAndItsErrorsAreRecorded() {
        String xid = client.begin("TCC", 30_000);
        client.addBranch(xid, stock);
        client.addBranch(xid, account);
        stock.failNext(2);

        client.post("/v1/transactions/" + xid + "/commit", null);

        JsonNode done = client.awaitStatus(xid, "COMMITTED", WAIT);
        JsonNode stockBranch = done.path("branches").get(0);
        assertThat(stockBranch.path("attempts").asInt()).isEqualTo(2);
        assertThat(stockBranch.path("lastError").asString()).startsWith("HTTP 500");
        assertThat(stock.calls()).extracting(TestParticipant.Call::answered).containsExactly(500, 500, 200);
        assertThat(account.calls()).hasSize(1);
    }

    @Test
    void aParticipantDownDuringPhaseTwoIsFinishedAfterItReturnsAndFlaggedMeanwhile() {
        String xid = client.begin("TCC", 30_000);
        client.addBranch(xid, stock);
        stock.stop();

        client.post("/v1/transactions/" + xid + "/commit", null);

        JsonNode flagged = client.awaitTransaction(xid,
                t -> t.path("branches").get(0).path("flagged").asBoolean(), WAIT);
        assertThat(flagged.path("status").asString()).isEqualTo("COMMITTING");
        assertThat(flagged.path("branches").get(0).path("lastError").asString()).isNotBlank();
        Response stuck = client.get("/v1/transactions?status=COMMITTING");
        assertThat(stuck.body().path("transactions").valueStream().map(t -> t.path("xid").asString()))
                .contains(xid);
        assertThat(scrape()).containsPattern("flotilla_tx_branches_flagged \\d");

        stock.restart();

        JsonNode done = client.awaitStatus(xid, "COMMITTED", WAIT);
        assertThat(done.path("branches").get(0).path("flagged").asBoolean()).isFalse();
        assertThat(stock.calls("confirm")).extracting(TestParticipant.Call::answered).containsExactly(200);
    }

    @Test
    void commitAndRollbackAreIdempotentAndTheOtherDecisionIsAConflict() {
        String committed = client.begin("TCC", 30_000);
        assertThat(client.post("/v1/transactions/" + committed + "/commit", null).status()).isEqualTo(200);
        assertThat(client.post("/v1/transactions/" + committed + "/commit", null).status()).isEqualTo(200);
        Response lateRollback = client.post("/v1/transactions/" + committed + "/rollback", null);
        assertThat(lateRollback.status()).isEqualTo(409);
        assertThat(lateRollback.contentType()).startsWith("application/problem+json");
        assertThat(lateRollback.text("transactionStatus")).isEqualTo("COMMITTED");
        assertThat(lateRollback.text("type")).isEqualTo(TxProblemType.TRANSACTION_CONFLICT.uri().toString());

        String rolledBack = client.begin("TCC", 30_000);
        assertThat(client.post("/v1/transactions/" + rolledBack + "/rollback", null).text("status"))
                .isEqualTo("ROLLED_BACK");
        assertThat(client.post("/v1/transactions/" + rolledBack + "/rollback", null).status()).isEqualTo(200);
        assertThat(client.post("/v1/transactions/" + rolledBack + "/commit", null).status()).isEqualTo(409);
    }

    @Test
    void aBranchIsRefusedOnceTheTransactionIsCommitted() {
        String xid = client.begin("TCC", 30_000);
        client.post("/v1/transactions/" + xid + "/commit", null);

        Response refused = client.post("/v1/transactions/" + xid + "/branches", "{\"resource\":\"late\","
                + "\"confirmUrl\":\"" + stock.confirmUrl() + "\",\"cancelUrl\":\"" + stock.cancelUrl() + "\"}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("detail")).contains("ACTIVE");
        assertThat(client.get("/v1/transactions/" + xid).body().path("branches")).isEmpty();
    }

    @Test
    void anActiveTransactionPastItsTimeoutIsRolledBack() {
        String xid = client.begin("TCC", 60_000);
        long branch = client.addBranch(xid, stock);
        // Other tests may have left expired transactions behind, so count nothing; look at this one.
        sweeper.sweep().join();
        assertThat(client.get("/v1/transactions/" + xid).text("status")).isEqualTo("ACTIVE");

        clock.advance(Duration.ofSeconds(61));
        assertThat(sweeper.sweep().join()).isPositive();

        JsonNode done = client.awaitStatus(xid, "ROLLED_BACK", WAIT);
        assertThat(done.path("timedOut").asBoolean()).isTrue();
        assertThat(stock.calls()).containsExactly(new TestParticipant.Call("cancel", xid, branch, 200));
        Response lateCommit = client.post("/v1/transactions/" + xid + "/commit", null);
        assertThat(lateCommit.status()).isEqualTo(409);
        assertThat(lateCommit.text("detail")).contains("rolled back");
    }

    /** More expired than one page of the sweep's query: one sweep times them all out, not just its first page. */
    @Test
    void oneSweepTimesOutEveryExpiredTransactionNotOnlyItsFirstPage() {
        List<String> abandoned = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            abandoned.add(client.begin("TCC", 60_000));
        }

        clock.advance(Duration.ofSeconds(61));
        assertThat(sweeper.sweep().join()).isGreaterThanOrEqualTo(250);

        for (String xid : abandoned) {
            JsonNode transaction = client.get("/v1/transactions/" + xid).body();
            assertThat(transaction.path("status").asString()).as(xid).isEqualTo("ROLLED_BACK");
            assertThat(transaction.path("timedOut").asBoolean()).as(xid).isTrue();
        }
    }

    @Test
    void finishedTransactionsArePurgedAfterTheRetentionAndRunningOnesAreKept() {
        String finished = client.begin("TCC", 3_600_000);
        client.post("/v1/transactions/" + finished + "/commit", null);
        String running = client.begin("TCC", 3_600_000);

        clock.advance(Duration.ofMinutes(9));
        sweeper.sweep().join();
        assertThat(client.get("/v1/transactions/" + finished).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(2));
        sweeper.sweep().join();
        assertThat(client.get("/v1/transactions/" + finished).status()).isEqualTo(404);
        assertThat(client.get("/v1/transactions/" + running).body().path("status").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void badInputIsA400AndWritesNothing() {
        int before = client.get("/v1/transactions?limit=1000").body().path("matching").asInt();
        String xid = client.begin("TCC", 30_000);
        List<Response> bad = List.of(
                client.post("/v1/transactions", "{\"mode\":\"SAGA\",\"timeoutMs\":1000}"),
                client.post("/v1/transactions", "{\"timeoutMs\":1000}"),
                client.post("/v1/transactions", "{\"mode\":\"TCC\",\"timeoutMs\":0}"),
                client.post("/v1/transactions", "{\"mode\":\"TCC\",\"timeoutMs\":\"soon\"}"),
                client.post("/v1/transactions", "not json"),
                client.post("/v1/transactions", null),
                client.post("/v1/transactions/" + xid + "/branches", "{\"resource\":\"r\",\"confirmUrl\":\"ftp://x/c\","
                        + "\"cancelUrl\":\"http://127.0.0.1:1/c\"}"),
                client.post("/v1/transactions/" + xid + "/branches", "{\"resource\":\"r\"}"),
                client.post("/v1/transactions/bad%20xid/commit", null),
                client.get("/v1/transactions?status=DONE"),
                client.get("/v1/transactions?olderThan=yesterday"),
                client.get("/v1/transactions?limit=0"),
                client.get("/v1/transactions?limit=many"),
                client.get("/v1/transactions?consistency=sometimes"),
                client.post("/v1/transactions/" + xid + "/commit?wait=forever", null),
                client.post("/v1/transactions/" + xid + "/commit?wait=5m", null));

        assertThat(bad).allSatisfy(response -> {
            assertThat(response.status()).as(response.raw().body()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.text("detail")).isNotBlank();
            assertThat(response.text("type")).isEqualTo(TxProblemType.INVALID_REQUEST.uri().toString());
        });
        assertThat(client.get("/v1/transactions?limit=1000").body().path("matching").asInt()).isEqualTo(before + 1);
        JsonNode untouched = client.get("/v1/transactions/" + xid).body();
        assertThat(untouched.path("branches")).isEmpty();
        assertThat(untouched.path("status").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void anUnknownTransactionIsA404() {
        Response missing = client.get("/v1/transactions/no-such-xid");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(client.post("/v1/transactions/no-such-xid/commit", null).status()).isEqualTo(404);
        assertThat(client.post("/v1/transactions/no-such-xid/branches", "{\"resource\":\"r\",\"confirmUrl\":"
                + "\"http://127.0.0.1:1/c\",\"cancelUrl\":\"http://127.0.0.1:1/c\"}").status()).isEqualTo(404);
    }

    @Test
    void listFindsTransactionsByStatusAndAge() {
        String old = client.begin("TCC", 600_000);
        clock.advance(Duration.ofMinutes(5));
        String fresh = client.begin("TCC", 600_000);

        List<String> olderThanAMinute = client.get("/v1/transactions?status=ACTIVE&olderThan=1m&limit=1000").body()
                .path("transactions").valueStream().map(t -> t.path("xid").asString()).toList();

        assertThat(olderThanAMinute).contains(old).doesNotContain(fresh);
        assertThat(client.get("/v1/transactions?status=active&olderThan=PT0S&limit=1000").body().path("transactions")
                .valueStream().map(t -> t.path("xid").asString()).toList()).contains(old, fresh);
    }

    @Test
    void operationsEndpointsAnswer() {
        Response health = client.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("components").path("raft").path("details").path("role").asString())
                .isEqualTo("LEADER");
        String commit = client.begin("TCC", 30_000);
        client.post("/v1/transactions/" + commit + "/commit", null);
        assertThat(scrape()).contains("flotilla_tx_branches_flagged", "raft_commit_index");
        Response openApi = client.get("/v3/api-docs");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.raw().body()).contains("/v1/transactions/{xid}/commit", "/v1/transactions/{xid}/branches");
    }

    @Test
    void theHotPathKeepsRequestMetricsAndLeavesOtherBodiesToSpringMvc() throws Exception {
        String xid = client.begin("TCC", 30_000);
        assertThat(client.post("/v1/transactions/" + xid + "/commit", null).status()).isEqualTo(200);
        assertThat(scrape()).contains("uri=\"/v1/transactions\"", "uri=\"/v1/transactions/{xid}/commit\"");

        int before = client.get("/v1/transactions?limit=1000").body().path("matching").asInt();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> text = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/transactions"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"TCC\",\"timeoutMs\":1000}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(text.statusCode()).isEqualTo(415);
        }
        assertThat(client.get("/v1/transactions?limit=1000").body().path("matching").asInt()).isEqualTo(before);
    }

    /**
     * The Raft kit's token and forwarding filters and the hot path run inside the request observation (so the
     * metric above sees them) and before Spring's request wrappers, which only Spring MVC's handlers need.
     */
    @Test
    void theHotPathRunsInsideTheObservationAndBeforeSpringsRequestWrappers() {
        Map<String, Integer> orders = new HashMap<>();
        context.getBeansOfType(FilterRegistrationBean.class).values()
            .forEach(registration -> orders.put(registration.getFilter().getClass().getSimpleName(), registration.getOrder()));
        context.getBeansOfType(OrderedFilter.class).values()
            .forEach(filter -> orders.put(filter.getClass().getSimpleName(), filter.getOrder()));

        List<String> chain = orders.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();

        assertThat(chain).containsSubsequence("ServerHttpObservationFilter", "BearerTokenFilter", "LeaderForwardingFilter",
                "TransactionHotPathFilter", "OrderedFormContentFilter", "OrderedRequestContextFilter");
    }

    private String scrape() {
        return client.get("/actuator/prometheus").raw().body();
    }

    private void awaitLeader() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Response health = client.get("/actuator/health");
            // Leader and ready: a new leader answers OUT_OF_SERVICE (503) until its first entry is applied.
            if (health.status() == 200 && "LEADER".equals(health.body().path("components").path("raft")
                    .path("details").path("role").asString())) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("single coordinator node did not become a ready leader within " + WAIT);
    }
}

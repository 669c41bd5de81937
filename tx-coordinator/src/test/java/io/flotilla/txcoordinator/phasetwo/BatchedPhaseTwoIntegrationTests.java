package io.flotilla.txcoordinator.phasetwo;

import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.txcoordinator.support.CoordinatorClient;
import io.flotilla.txcoordinator.support.InProcessCoordinatorProperties;
import io.flotilla.txcoordinator.support.TestParticipant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Phase two batched per participant, with the coordinator in-process on a real port and a real single-node Raft log
 * on disk, and participants that are real HTTP servers on loopback: branches whose registration announced a batch
 * endpoint are called together when they are due together, their outcomes take one log entry per batch, a failed
 * call in a batch is retried alone and the others are not called again, and a branch registered without a batch
 * endpoint keeps getting single calls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "flotilla.coordinator.election-timeout-min=150ms", "flotilla.coordinator.election-timeout-max=300ms",
        "flotilla.coordinator.heartbeat-interval=50ms",
        "flotilla.coordinator.phase-two.initial-backoff=50ms", "flotilla.coordinator.phase-two.max-backoff=200ms",
        "flotilla.coordinator.phase-two.reconcile-interval=500ms", "flotilla.coordinator.timeout-sweep-interval=1h",
        "flotilla.coordinator.phase-two.signing-keys=" + TestCoordinator.PHASE_TWO_KEY })
class BatchedPhaseTwoIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TRANSACTIONS = 20;

    @DynamicPropertySource
    static void raft(DynamicPropertyRegistry registry) throws Exception {
        InProcessCoordinatorProperties.register(registry, "tx-batch-tests");
    }

    @LocalServerPort
    int port;

    private CoordinatorClient client;
    private TestParticipant stock;
    private TestParticipant legacy;

    @BeforeEach
    void setUp() {
        client = new CoordinatorClient("http://127.0.0.1:" + port);
        stock = TestParticipant.start("stock");
        legacy = TestParticipant.start("legacy");
        client.begin("TCC", 1_000);
    }

    @AfterEach
    void tearDown() {
        stock.releaseBatches();
        stock.close();
        legacy.close();
    }

    @Test
    void branchesDueTogetherAreConfirmedInOneCallAndLoggedInOneEntry() {
        // The first batch is held at the participant: everything due meanwhile queues behind it.
        stock.holdBatches();
        List<String> xids = new ArrayList<>();
        for (int i = 0; i < TRANSACTIONS; i++) {
            String xid = client.begin("TCC", 60_000);
            client.addBatchedBranch(xid, stock);
            client.addBranch(xid, legacy);
            xids.add(xid);
        }
        xids.forEach(this::commit);
        awaitCalls(stock, 1);
        awaitCalls(legacy, TRANSACTIONS);
        sleep(500);
        assertThat(stock.batchSizes()).as("one batch in flight per participant").containsExactly(1);
        long indexBefore = commitIndex();

        stock.releaseBatches();
        xids.forEach(xid -> client.awaitStatus(xid, "COMMITTED", WAIT));

        assertThat(stock.batchSizes()).as("what queued went in one call").containsExactly(1, TRANSACTIONS - 1);
        // The held batch's outcome is written once it was answered, then the next batch's 19 in one entry.
        assertThat(commitIndex() - indexBefore).as("log entries for the 20 outcomes: one per batch").isEqualTo(2);
        assertThat(stock.calls("confirm")).hasSize(TRANSACTIONS)
                .allSatisfy(call -> assertThat(call.answered()).isEqualTo(200))
                .extracting(TestParticipant.Call::xid).containsExactlyInAnyOrderElementsOf(xids);
        assertThat(legacy.calls("confirm")).as("no batch announced: single calls").hasSize(TRANSACTIONS);
        assertThat(legacy.batchSizes()).isEmpty();
        JsonNode view = client.get("/v1/transactions/" + xids.getFirst()).body();
        assertThat(view.path("branches").get(0).path("batchUrl").asString()).isEqualTo(stock.batchUrl());
        assertThat(view.path("branches").get(1).path("batchUrl").isNull()).isTrue();
    }

    @Test
    void aFailedCallInABatchIsRetriedAloneAndTheOthersAreNotCalledAgain() {
        stock.holdBatches();
        List<String> xids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String xid = client.begin("TCC", 60_000);
            client.addBatchedBranch(xid, stock);
            xids.add(xid);
        }
        commit(xids.getFirst());
        awaitCalls(stock, 1);
        xids.subList(1, xids.size()).forEach(this::commit);
        sleep(500);
        // The second batch's first two calls fail; the other three succeed.
        stock.failNext(2);
        stock.releaseBatches();

        xids.forEach(xid -> client.awaitStatus(xid, "COMMITTED", WAIT));

        assertThat(stock.batchSizes().subList(0, 2)).containsExactly(1, 5);
        List<TestParticipant.Call> confirms = stock.calls("confirm");
        for (String xid : xids) {
            List<Integer> answers = confirms.stream().filter(call -> call.xid().equals(xid))
                    .map(TestParticipant.Call::answered).toList();
            assertThat(answers).as("calls of " + xid).containsAnyOf(200).endsWith(200);
            assertThat(answers.stream().filter(status -> status == 200)).as("confirmed once: " + xid).hasSize(1);
        }
        List<String> failedOnce = confirms.stream().filter(call -> call.answered() == 500)
                .map(TestParticipant.Call::xid).toList();
        assertThat(failedOnce).hasSize(2);
        for (String xid : failedOnce) {
            JsonNode branch = client.get("/v1/transactions/" + xid).body().path("branches").get(0);
            assertThat(branch.path("attempts").asInt()).isEqualTo(1);
            assertThat(branch.path("lastError").asString()).isEqualTo("HTTP 500 (in a batch): told to fail");
        }
    }

    private void commit(String xid) {
        CoordinatorClient.Response committed = client.post("/v1/transactions/" + xid + "/commit", null);
        assertThat(committed.status()).isEqualTo(200);
    }

    private long commitIndex() {
        return client.get("/v1/cluster").body().path("commitIndex").asLong();
    }

    private static void awaitCalls(TestParticipant participant, int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (participant.calls().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(participant.resource() + " got " + participant.calls());
            }
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

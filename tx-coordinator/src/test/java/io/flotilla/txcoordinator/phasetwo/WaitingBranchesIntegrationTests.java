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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A branch whose phase-two call failed waits out its back-off, here 10–20 s, unless its participant acknowledges
 * another call first: then it is called at once. The coordinator runs in-process on a real port with a real
 * single-node Raft log on disk; the participants are real HTTP servers on loopback. Every wait below is far shorter
 * than the shortest back-off, so a branch that was not woken cannot pass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "flotilla.coordinator.election-timeout-min=150ms", "flotilla.coordinator.election-timeout-max=300ms",
        "flotilla.coordinator.heartbeat-interval=50ms",
        "flotilla.coordinator.phase-two.initial-backoff=20s", "flotilla.coordinator.phase-two.max-backoff=20s",
        "flotilla.coordinator.phase-two.reconcile-interval=1h", "flotilla.coordinator.timeout-sweep-interval=1h",
        "flotilla.coordinator.phase-two.signing-keys=" + TestCoordinator.PHASE_TWO_KEY })
class WaitingBranchesIntegrationTests {

    /** Well under the 10 s a failed branch waits at the least (half of the 20 s back-off, the jitter's floor). */
    private static final Duration WOKEN_WITHIN = Duration.ofSeconds(6);

    @DynamicPropertySource
    static void raft(DynamicPropertyRegistry registry) throws Exception {
        InProcessCoordinatorProperties.register(registry, "tx-waiting-tests");
    }

    @LocalServerPort
    int port;

    private CoordinatorClient client;
    private TestParticipant stock;
    private TestParticipant payments;

    @BeforeEach
    void setUp() {
        client = new CoordinatorClient("http://127.0.0.1:" + port);
        stock = TestParticipant.start("stock");
        payments = TestParticipant.start("payments");
        client.begin("TCC", 1_000);
    }

    @AfterEach
    void tearDown() {
        stock.close();
        payments.close();
    }

    @Test
    void aParticipantThatAnswersAgainGetsItsWaitingBranchAtOnce() {
        stock.failNext(1);
        String failed = committedWithBranch(stock, false);
        awaitFailedOnce(failed);

        String next = committedWithBranch(stock, false);

        client.awaitStatus(next, "COMMITTED", WOKEN_WITHIN);
        client.awaitStatus(failed, "COMMITTED", WOKEN_WITHIN);
        assertThat(stock.calls("confirm")).extracting(TestParticipant.Call::answered).containsExactly(500, 200, 200);
    }

    @Test
    void aBatchThatIsAnsweredWakesTheBranchesWaitingForThatParticipant() {
        stock.failNext(1);
        String failed = committedWithBranch(stock, true);
        awaitFailedOnce(failed);

        String next = committedWithBranch(stock, true);

        client.awaitStatus(next, "COMMITTED", WOKEN_WITHIN);
        client.awaitStatus(failed, "COMMITTED", WOKEN_WITHIN);
        assertThat(stock.batchSizes()).as("the failed call, the next, then the woken one").containsExactly(1, 1, 1);
    }

    @Test
    void anotherParticipantsAnswersWakeNothingAndADownParticipantKeepsItsBackOff() {
        stock.stop();
        String waiting = committedWithBranch(stock, false);
        JsonNode firstFailure = awaitFailedOnce(waiting);
        assertThat(firstFailure.path("branches").get(0).path("lastError").asString()).isNotBlank();

        String elsewhere = committedWithBranch(payments, false);
        client.awaitStatus(elsewhere, "COMMITTED", WOKEN_WITHIN);
        sleep(1_500);

        JsonNode still = client.get("/v1/transactions/" + waiting).body();
        assertThat(still.path("status").asString()).isEqualTo("COMMITTING");
        assertThat(still.path("branches").get(0).path("attempts").asInt()).as("not called again").isEqualTo(1);
    }

    /** Begins a transaction with one branch at {@code participant}, commits it, and returns its xid. */
    private String committedWithBranch(TestParticipant participant, boolean batched) {
        String xid = client.begin("TCC", 60_000);
        if (batched) {
            client.addBatchedBranch(xid, participant);
        } else {
            client.addBranch(xid, participant);
        }
        CoordinatorClient.Response committed = client.post("/v1/transactions/" + xid + "/commit", null);
        assertThat(committed.status()).isEqualTo(200);
        return xid;
    }

    private JsonNode awaitFailedOnce(String xid) {
        return client.awaitTransaction(xid, t -> t.path("branches").get(0).path("attempts").asInt() == 1,
                WOKEN_WITHIN);
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

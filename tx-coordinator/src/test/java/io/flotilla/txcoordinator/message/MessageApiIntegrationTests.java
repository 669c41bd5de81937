package io.flotilla.txcoordinator.message;

import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.testsupport.time.ManualClock;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two-phase messages against the coordinator in-process (real single-node Raft log on disk) with producers and
 * receivers that are real HTTP servers on loopback: prepare, submit or abort, delivery with back-off, and the
 * check-back of a message its producer left unsettled. Time is a {@link ManualClock}; tests move it and sweep once.
 */
@Import(ManualClockConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "flotilla.coordinator.election-timeout-min=150ms", "flotilla.coordinator.election-timeout-max=300ms",
        "flotilla.coordinator.heartbeat-interval=50ms",
        "flotilla.coordinator.phase-two.initial-backoff=50ms", "flotilla.coordinator.phase-two.max-backoff=200ms",
        "flotilla.coordinator.phase-two.alert-after-attempts=3", "flotilla.coordinator.phase-two.reconcile-interval=500ms",
        "flotilla.coordinator.timeout-sweep-interval=1h",
        "flotilla.coordinator.phase-two.signing-keys=" + TestCoordinator.PHASE_TWO_KEY })
class MessageApiIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void raft(DynamicPropertyRegistry registry) throws Exception {
        InProcessCoordinatorProperties.register(registry, "tx-message-tests");
    }

    @LocalServerPort
    int port;

    @Autowired
    ManualClock clock;

    @Autowired
    LeaderSweeper sweeper;

    private CoordinatorClient client;
    private TestParticipant producer;
    private TestParticipant points;
    private TestParticipant mail;

    @BeforeEach
    void setUp() {
        client = new CoordinatorClient("http://127.0.0.1:" + port);
        producer = TestParticipant.start("orders");
        points = TestParticipant.start("points");
        mail = TestParticipant.start("mail");
        // Leader and ready: a new leader answers 503 until its first entry is applied.
        await().atMost(WAIT).until(() -> {
            var health = client.get("/actuator/health");
            return health.status() == 200 && health.body().path("components").path("raft").path("details")
                    .path("role").asString().equals("LEADER");
        });
    }

    @AfterEach
    void tearDown() {
        producer.close();
        points.close();
        mail.close();
    }

    @Test
    void aSubmittedMessageIsDeliveredToEveryTargetWithItsIdAndPayload() {
        String xid = prepare(60_000, points.deliverUrl(), mail.deliverUrl());
        assertThat(client.get("/v1/transactions/" + xid).body().path("mode").asString()).isEqualTo("MSG");
        assertThat(points.deliveries()).isEmpty();

        Response submitted = client.post("/v1/transactions/" + xid + "/commit?wait=10s", null);

        assertThat(submitted.status()).isEqualTo(200);
        JsonNode done = client.awaitStatus(xid, "COMMITTED", WAIT);
        long pointsBranch = done.path("branches").get(0).path("branchId").asLong();
        assertThat(points.deliveries()).singleElement().satisfies(body -> assertThat(body)
                .contains("\"messageId\":\"" + xid + ":" + pointsBranch + "\"")
                .contains("\"name\":\"order-confirmed\"")
                .contains("\"payload\":\"{\\\"orderId\\\":7,\\\"totalCents\\\":1250}\""));
        assertThat(mail.deliveries()).hasSize(1);
        assertThat(producer.calls("check")).isEmpty();
    }

    @Test
    void anAbortedMessageReachesNobody() {
        String xid = prepare(60_000, points.deliverUrl());

        Response aborted = client.post("/v1/transactions/" + xid + "/rollback", null);

        assertThat(aborted.status()).isEqualTo(200);
        assertThat(aborted.text("status")).isEqualTo("ROLLED_BACK");
        assertThat(client.post("/v1/transactions/" + xid + "/commit", null).status()).isEqualTo(409);
        assertThat(points.calls()).isEmpty();
    }

    @Test
    void aReceiverThatIsDownGetsTheMessageOnceItIsBackAndTheTargetIsFlaggedMeanwhile() {
        points.stop();
        String xid = prepare(60_000, points.deliverUrl());
        client.post("/v1/transactions/" + xid + "/commit", null);

        client.awaitTransaction(xid, t -> t.path("branches").get(0).path("flagged").asBoolean(), WAIT);
        points.restart();

        client.awaitStatus(xid, "COMMITTED", WAIT);
        assertThat(points.deliveries()).hasSize(1);
    }

    @Test
    void anUnsettledMessageWhoseProducerCommittedIsDeliveredAfterTheCheckBack() {
        producer.checkAnswer("COMMITTED");
        String xid = prepare(5_000, points.deliverUrl());
        sweeper.sweep().join();
        assertThat(producer.calls("check")).isEmpty();

        clock.advance(Duration.ofSeconds(6));
        sweeper.sweep().join();

        client.awaitStatus(xid, "COMMITTED", WAIT);
        assertThat(producer.calls("check")).extracting(TestParticipant.Call::xid).containsExactly(xid);
        assertThat(points.deliveries()).hasSize(1);
    }

    @Test
    void anUnsettledMessageWhoseProducerRolledBackIsAbortedAndReachesNobody() {
        producer.checkAnswer("ROLLED_BACK");
        String xid = prepare(5_000, points.deliverUrl());

        clock.advance(Duration.ofSeconds(6));
        sweeper.sweep().join();

        client.awaitStatus(xid, "ROLLED_BACK", WAIT);
        assertThat(points.calls()).isEmpty();
    }

    @Test
    void aFailedCheckBackIsLoggedAndAskedAgainLater() {
        producer.checkAnswer("NO-IDEA");
        String xid = prepare(5_000, points.deliverUrl());
        String firstCheckAt = client.get("/v1/transactions/" + xid).text("timeoutAt");
        clock.advance(Duration.ofSeconds(6));
        sweeper.sweep().join();
        await().atMost(WAIT).until(() -> !producer.calls("check").isEmpty());
        // The failure is in the log with the time of the next check-back, on the phase-two back-off.
        JsonNode asked = client.awaitTransaction(xid, t -> !t.path("timeoutAt").asString().equals(firstCheckAt), WAIT);
        assertThat(asked.path("status").asString()).isEqualTo("ACTIVE");

        producer.checkAnswer("COMMITTED");
        clock.advance(Duration.ofSeconds(1));
        sweeper.sweep().join();

        client.awaitStatus(xid, "COMMITTED", WAIT);
        assertThat(points.deliveries()).hasSize(1);
    }

    @Test
    void aSubmitAfterTheTimeOutStillDelivers() {
        String xid = prepare(5_000, points.deliverUrl());
        clock.advance(Duration.ofSeconds(6));

        assertThat(client.post("/v1/transactions/" + xid + "/commit", null).status()).isEqualTo(200);

        client.awaitStatus(xid, "COMMITTED", WAIT);
        assertThat(points.deliveries()).hasSize(1);
    }

    @Test
    void badMessagesAreRefusedWithNothingWritten() {
        for (String body : List.of("{}", "{\"targets\":[],\"payload\":\"{}\",\"checkUrl\":\"" + producer.checkUrl() + "\"}",
                "{\"targets\":[\"ftp://x/y\"],\"payload\":\"{}\",\"checkUrl\":\"" + producer.checkUrl() + "\"}",
                "{\"targets\":[\"" + points.deliverUrl() + "\"],\"checkUrl\":\"" + producer.checkUrl() + "\"}",
                "{\"targets\":[\"" + points.deliverUrl() + "\"],\"payload\":\"{}\",\"checkUrl\":\"nope\"}",
                "{\"targets\":[\"" + points.deliverUrl() + "\"],\"payload\":\"{}\",\"checkUrl\":\""
                        + producer.checkUrl() + "\",\"timeoutMs\":0}")) {
            Response refused = client.post("/v1/messages", body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        Response begin = client.post("/v1/transactions", "{\"mode\":\"MSG\"}");
        assertThat(begin.status()).isEqualTo(400);
        assertThat(begin.text("detail")).contains("/v1/messages");
    }

    private String prepare(long timeoutMs, String... targets) {
        StringBuilder list = new StringBuilder();
        for (String target : targets) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(target).append('"');
        }
        Response prepared = client.postUntilLeaderKnown("/v1/messages", "{\"targets\":[" + list
                + "],\"payload\":\"{\\\"orderId\\\":7,\\\"totalCents\\\":1250}\",\"checkUrl\":\"" + producer.checkUrl()
                + "\",\"timeoutMs\":" + timeoutMs + ",\"name\":\"order-confirmed\"}");
        assertThat(prepared.status()).as(prepared.raw().body()).isEqualTo(201);
        return prepared.text("xid");
    }
}

package io.flotilla.txcoordinator.sweep;

import io.flotilla.testsupport.time.ManualClock;
import io.flotilla.txcoordinator.message.MessageCheckBacks;
import io.flotilla.txcoordinator.raft.TxLog;
import io.flotilla.txcoordinator.support.CoordinatorClient;
import io.flotilla.txcoordinator.support.InProcessCoordinatorProperties;
import io.flotilla.txcoordinator.support.ManualClockConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finished transactions beyond {@code flotilla.coordinator.retention-limit} are purged oldest first, long before
 * their retention ends; running ones are never counted or purged. One node on a real port and a real Raft log; the
 * test runs the leader's sweep itself.
 */
@Import(ManualClockConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "flotilla.coordinator.election-timeout-min=150ms", "flotilla.coordinator.election-timeout-max=300ms",
        "flotilla.coordinator.timeout-sweep-interval=1h", "flotilla.coordinator.retention=1h",
        "flotilla.coordinator.retention-limit=3" })
class RetentionLimitIntegrationTests {

    @DynamicPropertySource
    static void raft(DynamicPropertyRegistry registry) throws Exception {
        InProcessCoordinatorProperties.register(registry, "retention-limit-tests");
    }

    @LocalServerPort
    int port;

    @Autowired
    LeaderSweeper sweeper;

    @Autowired
    ManualClock clock;

    @Autowired
    TxLog txLog;

    @Autowired
    ScheduledExecutorService txScheduler;

    @Autowired
    MessageCheckBacks checkBacks;

    @Autowired
    MeterRegistry meterRegistry;

    @Test
    void theOldestFinishedTransactionsBeyondTheLimitArePurgedAndRunningOnesStay() {
        CoordinatorClient client = new CoordinatorClient("http://127.0.0.1:" + port);
        String running = client.begin("TCC", 3_600_000);
        List<String> finished = commitFive(client);

        assertThat(sweeper.sweep().join()).isZero();

        for (String purged : finished.subList(0, 2)) {
            assertThat(client.get("/v1/transactions/" + purged).status()).as(purged).isEqualTo(404);
        }
        for (String kept : finished.subList(2, 5)) {
            assertThat(client.get("/v1/transactions/" + kept).text("status")).as(kept).isEqualTo("COMMITTED");
        }
        assertThat(client.get("/v1/transactions/" + running).text("status")).isEqualTo("ACTIVE");

        sweeper.sweep().join();
        assertThat(client.get("/v1/transactions/" + finished.get(2)).status()).isEqualTo(200);
    }

    /**
     * A sweep purges all that is over the limit, however many commands that takes: with one command a sweep, a node
     * finishing transactions faster than a command purges a second grew past the limit until its heap ran out.
     */
    @Test
    void oneSweepPurgesEverythingOverTheLimitInAsManyCommandsAsItTakes() {
        CoordinatorClient client = new CoordinatorClient("http://127.0.0.1:" + port);
        List<String> finished = commitFive(client);
        LeaderSweeper onePerPurge = new LeaderSweeper(txLog, clock, txScheduler, Duration.ofHours(1),
                Duration.ofHours(1), 3, 1, checkBacks, meterRegistry);

        onePerPurge.sweep().join();

        for (String purged : finished.subList(0, 2)) {
            assertThat(client.get("/v1/transactions/" + purged).status()).as(purged).isEqualTo(404);
        }
        for (String kept : finished.subList(2, 5)) {
            assertThat(client.get("/v1/transactions/" + kept).text("status")).as(kept).isEqualTo("COMMITTED");
        }
    }

    /** Begins and commits five transactions, 10 ms apart on the clock, so the oldest are the first; their xids. */
    private List<String> commitFive(CoordinatorClient client) {
        List<String> finished = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String xid = client.begin("TCC", 3_600_000);
            assertThat(client.post("/v1/transactions/" + xid + "/commit", null).status()).isEqualTo(200);
            client.awaitStatus(xid, "COMMITTED", Duration.ofSeconds(30));
            finished.add(xid);
            clock.advance(Duration.ofMillis(10));
        }
        return finished;
    }
}

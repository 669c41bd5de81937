package io.flotilla.txcoordinator.cluster;

import io.flotilla.txcoordinator.support.CoordinatorClient;
import io.flotilla.txcoordinator.support.TestParticipant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator killed with {@code kill -9} in the middle of phase two, as real processes on real sockets:
 * one branch already confirmed and logged, the other failing because its participant is down. After the crash
 * (a restart from the data directory, or a new leader elected among the survivors) phase two must finish, the
 * already-confirmed branch must not be called again, and the other must be confirmed exactly once with success.
 */
class CoordinatorCrashIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dataRoot;

    private final List<CoordinatorNode> nodes = new ArrayList<>();
    private TestParticipant stock;
    private TestParticipant account;

    @BeforeEach
    void participants() {
        stock = TestParticipant.start("stock");
        account = TestParticipant.start("account");
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(CoordinatorNode::close);
        stock.close();
        account.close();
    }

    @Test
    void aSingleNodeKilledDuringPhaseTwoFinishesItAfterARestartFromItsDataDirectory() {
        int[] http = CoordinatorNode.freePorts(1);
        int[] raft = CoordinatorNode.freePorts(1);
        CoordinatorNode node = CoordinatorNode.create("tx1", http[0], raft[0], null, dataRoot.resolve("tx1"),
                "tx-crash-single");
        nodes.add(node);
        node.process.start();
        CoordinatorClient client = new CoordinatorClient(node.baseUrl());
        awaitLeader(client);

        String xid = startPhaseTwoWithStockDown(client);

        node.process.kill();
        stock.restart();
        node.process.start();

        finishedExactlyOnce(client, xid);
    }

    @Test
    void aThreeNodeClusterWhoseLeaderIsKilledDuringPhaseTwoFinishesItUnderTheNewLeader() {
        CoordinatorClient client = startThreeNodesTalkingToAFollower("tx-crash-");

        String xid = startPhaseTwoWithStockDown(client);

        // Leadership may have moved on a loaded machine: kill whoever leads now, talk to someone else.
        String leaderId = awaitLeader(client);
        CoordinatorNode leader = nodes.stream().filter(node -> node.id.equals(leaderId)).findFirst().orElseThrow();
        CoordinatorNode survivor = nodes.stream().filter(node -> node != leader).findFirst().orElseThrow();
        leader.process.kill();
        stock.restart();
        client.baseUrl(survivor.baseUrl());
        awaitLeader(client, leaderId);

        finishedExactlyOnce(client, xid);

        leader.process.start();
        CoordinatorClient restarted = new CoordinatorClient(leader.baseUrl());
        JsonNode caughtUp = restarted.awaitTransaction(xid + "?consistency=stale",
                t -> "COMMITTED".equals(t.path("status").asString()), WAIT);
        assertThat(caughtUp.path("branches")).hasSize(2);
    }

    /**
     * The leader killed while a batch of confirms is at the participant and more are queued behind it: the batch's
     * outcomes are never logged by the dead leader, so the new one calls every branch still pending again (the
     * participant's fence makes a repeated confirm a duplicate); no branch is lost and none is cancelled.
     */
    @Test
    void aThreeNodeClusterWhoseLeaderIsKilledMidBatchLosesNoBranch() {
        CoordinatorClient client = startThreeNodesTalkingToAFollower("tx-batch-crash-");

        stock.holdBatches();
        List<String> xids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String xid = client.begin("TCC", 60_000);
            client.addBatchedBranch(xid, stock);
            client.addBatchedBranch(xid, account);
            xids.add(xid);
        }
        for (String xid : xids) {
            CoordinatorClient.Response committed = client.post("/v1/transactions/" + xid + "/commit", null);
            for (int retry = 0; committed.status() == 503 && retry < 100; retry++) {
                sleep(200);
                committed = client.post("/v1/transactions/" + xid + "/commit", null);
            }
            assertThat(committed.status()).isEqualTo(200);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stock.batchSizes().isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(stock.batchSizes()).as("a batch is held at the participant").hasSize(1);

        String leaderId = awaitLeader(client);
        CoordinatorNode leader = nodes.stream().filter(node -> node.id.equals(leaderId)).findFirst().orElseThrow();
        CoordinatorNode survivor = nodes.stream().filter(node -> node != leader).findFirst().orElseThrow();
        leader.process.kill();
        stock.releaseBatches();
        client.baseUrl(survivor.baseUrl());
        awaitLeader(client, leaderId);

        for (String xid : xids) {
            JsonNode done = client.awaitStatus(xid, "COMMITTED", WAIT);
            assertThat(done.path("branches").valueStream().map(b -> b.path("status").asString()))
                    .containsExactly("COMMITTED", "COMMITTED");
            assertThat(stock.calls("confirm")).as("stock confirmed " + xid)
                    .anySatisfy(call -> {
                        assertThat(call.xid()).isEqualTo(xid);
                        assertThat(call.answered()).isEqualTo(200);
                    });
        }
        assertThat(stock.calls("cancel")).isEmpty();
        assertThat(account.calls("cancel")).isEmpty();
        assertThat(stock.calls("confirm").size()).as("the held batch's branches were called again by the new leader")
                .isGreaterThan(xids.size());
    }

    /**
     * Begins a transaction with two branches, stops the stock participant and commits: the account branch is
     * confirmed and logged, the stock branch fails at least once (logged). Returns the xid.
     */
    private String startPhaseTwoWithStockDown(CoordinatorClient client) {
        String xid = client.begin("TCC", 60_000);
        client.addBranch(xid, stock);
        client.addBranch(xid, account);
        stock.stop();
        // Commit is idempotent, so even a 503 with an unknown outcome may be retried.
        CoordinatorClient.Response committed = client.post("/v1/transactions/" + xid + "/commit", null);
        for (int retry = 0; committed.status() == 503 && retry < 100; retry++) {
            sleep(200);
            committed = client.post("/v1/transactions/" + xid + "/commit", null);
        }
        assertThat(committed.status()).isEqualTo(200);
        JsonNode midway = client.awaitTransaction(xid, t -> {
            JsonNode branches = t.path("branches");
            return branches.get(0).path("attempts").asInt() >= 1
                    && "COMMITTED".equals(branches.get(1).path("status").asString());
        }, WAIT);
        assertThat(midway.path("status").asString()).isEqualTo("COMMITTING");
        assertThat(account.calls("confirm")).hasSize(1);
        return xid;
    }

    private void finishedExactlyOnce(CoordinatorClient client, String xid) {
        JsonNode done = client.awaitStatus(xid, "COMMITTED", WAIT);
        assertThat(done.path("branches").valueStream().map(b -> b.path("status").asString()))
                .containsExactly("COMMITTED", "COMMITTED");
        assertThat(stock.calls("confirm")).extracting(TestParticipant.Call::answered).containsExactly(200);
        assertThat(account.calls("confirm")).hasSize(1);
        assertThat(stock.calls("cancel")).isEmpty();
        assertThat(account.calls("cancel")).isEmpty();
    }

    private static String awaitLeader(CoordinatorClient client) {
        return awaitLeader(client, "");
    }

    /** Waits until the node the client talks to knows a leader other than {@code notThis}, and returns its id. */
    private static String awaitLeader(CoordinatorClient client, String notThis) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode cluster = client.get("/v1/cluster").body();
                String leader = cluster.path("leaderId").asString();
                if (leader != null && !leader.isEmpty() && !"null".equals(leader) && !leader.equals(notThis)) {
                    return leader;
                }
            } catch (RuntimeException notUpYet) {
                // The node may still be starting; poll until the deadline.
            }
            sleep(100);
        }
        throw new AssertionError("no leader within " + WAIT);
    }

    /**
     * Starts a three-node cluster (its processes at the same time) and returns a client of one of its followers,
     * which forwards writes and linearizable reads to the leader.
     */
    private CoordinatorClient startThreeNodesTalkingToAFollower(String processNamePrefix) {
        int[] http = CoordinatorNode.freePorts(3);
        int[] raft = CoordinatorNode.freePorts(3);
        String peers = CoordinatorNode.peers(http, raft);
        for (int i = 0; i < 3; i++) {
            String id = "tx" + (i + 1);
            nodes.add(CoordinatorNode.create(id, http[i], raft[i], peers, dataRoot.resolve(id), processNamePrefix + id));
        }
        CompletableFuture.allOf(nodes.stream()
                .map(node -> CompletableFuture.runAsync(node.process::start)).toArray(CompletableFuture[]::new))
                .join();
        CoordinatorClient client = new CoordinatorClient(nodes.getFirst().baseUrl());
        String firstLeader = awaitLeader(client);
        client.baseUrl(nodes.stream().filter(node -> !node.id.equals(firstLeader)).findFirst().orElseThrow().baseUrl());
        return client;
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

package io.flotilla.raft.server.kit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import io.flotilla.raft.server.CountingStateMachine;
import io.flotilla.raft.server.RaftServerConfigurationException;
import io.flotilla.raft.server.RaftStartupException;
import io.flotilla.raft.server.config.RaftServerFailureAnalyzer;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kit's whole edge on real Spring Boot nodes of {@link CounterApplication} (Raft over Netty, HTTP on random
 * ports): each test reproduces what a new user met before the kit told the truth.
 */
class RaftKitIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataRoot;

    private final List<CounterNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(CounterNode::close);
    }

    /** Before: the HTTP port was guessed as raftPort - 1000, and two writes in three failed with 503. */
    @Test
    void raftPortOnlyPeerListsOnArbitraryPortsAcceptWritesOnEveryNode() throws Exception {
        startCluster(3);
        for (CounterNode node : nodes) {
            CounterNode.await(node.id + " ready", 60, node::ready);
        }
        for (CounterNode node : nodes) {
            HttpResponse<String> write = node.post("/v1/count", "1");
            assertThat(write.statusCode()).as("write at " + node.id + ": " + write.body()).isEqualTo(200);
        }
        JsonNode cluster = JSON.readTree(nodes.get(0).get("/v1/cluster").body());
        for (JsonNode member : cluster.path("members")) {
            CounterNode node = node(member.path("id").asString());
            assertThat(member.path("httpAddress").asString()).as("published address of " + node.id).isEqualTo(node.url);
        }
        CounterNode any = nodes.get(2);
        assertThat(any.get("/v1/count").body()).isEqualTo("3");
    }

    /** Before: readiness was UP from the start, while every request was answered 503 "election in progress". */
    @Test
    void readinessIsUpOnlyOnceTheNodeCanServeAndTheFirstWriteThenSucceeds() throws Exception {
        int[] ports = {PortProbe.freePort(), PortProbe.freePort(), PortProbe.freePort()};
        String peers = peers(ports);
        CounterNode alone = start("n1", ports[0], peers);
        assertThat(alone.get("/actuator/health/readiness").statusCode()).as("one of three nodes can never elect alone")
                .isEqualTo(503);
        HttpResponse<String> health = alone.get("/actuator/health");
        assertThat(JSON.readTree(health.body()).path("components").path("raft").path("details").path("state")
                .asString()).contains("no leader");
        assertThat(alone.get("/actuator/health/liveness").statusCode()).as("but the process is alive").isEqualTo(200);
        HttpResponse<String> refused = alone.post("/v1/count", "5");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).path("outcome").asString()).isEqualTo("not-applied");

        start("n2", ports[1], peers);
        CounterNode.await("n1 ready", 60, alone::ready);
        HttpResponse<String> first = alone.post("/v1/count", "5");
        assertThat(first.statusCode()).as("first write after readiness: " + first.body()).isEqualTo(200);
    }

    /** Before: a coordinator whose Raft port was taken logged fail-stop and reported UP forever. */
    @Test
    void aNodeWhoseRaftPortIsTakenDoesNotStartAndTheAnalysisNamesThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> start("n1", port, ""))
                    .satisfies(failure -> {
                        assertThat(causeOfType(failure, RaftStartupException.class)).isNotNull();
                        FailureAnalysis analysis = new RaftServerFailureAnalyzer().analyze(failure);
                        assertThat(analysis.getDescription()).contains("127.0.0.1:" + port).contains("in use");
                        assertThat(analysis.getAction()).contains("counter.server.raft-port");
                    });
        }
    }

    @Test
    void aNodeThatStoppedItselfAfterAFaultIsNotLiveAndSaysSo() throws Exception {
        CounterNode node = start("n1", PortProbe.freePort(), "");
        CounterNode.await("n1 ready", 60, node::ready);

        assertThat(node.post("/v1/count", Long.toString(CountingStateMachine.POISON)).statusCode()).isEqualTo(503);

        CounterNode.await("liveness DOWN", 10, () -> node.get("/actuator/health/liveness").statusCode() == 503);
        assertThat(node.get("/actuator/health").statusCode()).isEqualTo(503);
        HttpResponse<String> after = node.post("/v1/count", "1");
        assertThat(after.statusCode()).isEqualTo(503);
        JsonNode problem = JSON.readTree(after.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:flotilla:problem:node-stopped");
        assertThat(problem.path("detail").asString()).contains("must be restarted").doesNotContain("election");
    }

    @Test
    void peerListsThatCannotWorkStopStartUpNamingTheProblem() {
        int port = PortProbe.freePort();
        assertThatThrownBy(() -> start("n4", port, "n1@127.0.0.1:" + port + ",n2@127.0.0.1:" + PortProbe.freePort()))
                .satisfies(failure -> {
                    RaftServerConfigurationException problem = causeOfType(failure,
                            RaftServerConfigurationException.class);
                    assertThat(problem.property()).isEqualTo("counter.server.peers");
                    assertThat(problem.getMessage()).contains("'n4' is not in");
                    assertThat(new RaftServerFailureAnalyzer().analyze(failure).getAction()).contains("joining");
                });
        assertThatThrownBy(() -> start("n1", port, "n1@127.0.0.1:" + port + ",n1@127.0.0.1:" + PortProbe.freePort()))
                .satisfies(failure -> assertThat(causeOfType(failure, RaftServerConfigurationException.class))
                        .hasMessageContaining("appears twice"));
    }

    @Test
    void writesNeedTheTokenWhenOneIsSetAndReadsStayOpen() throws Exception {
        CounterNode node = start("n1", PortProbe.freePort(), "", "counter.server.token=s3cret");
        CounterNode.await("n1 ready", 60, node::ready);

        HttpResponse<String> anonymous = node.post("/v1/count", "1");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(anonymous.body()).contains("counter.server.token").doesNotContain("s3cret");
        assertThat(node.post("/v1/count", "1", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
        assertThat(node.get("/v1/count").body()).isEqualTo("1");
    }

    @Test
    void aMemberIsAddedThroughAFollowerPublishesItsAddressAndIsRemoved() throws Exception {
        String peers = startCluster(3);
        for (CounterNode node : nodes) {
            CounterNode.await(node.id + " ready", 60, node::ready);
        }
        int raftPort = PortProbe.freePort();
        CounterNode joining = start("n4", raftPort, peers, "counter.server.joining=true");
        CounterNode follower = nodes.stream().filter(node -> !isLeader(node)).findFirst().orElseThrow();

        HttpResponse<String> added = follower.post("/v1/cluster/members",
                "{\"id\":\"n4\",\"address\":\"127.0.0.1:" + raftPort + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        CounterNode.await("n4 ready", 60, joining::ready);
        CounterNode.await("n4's address published", 30, () -> {
            try {
                JsonNode members = JSON.readTree(nodes.get(0).get("/v1/cluster").body()).path("members");
                for (JsonNode member : members) {
                    if (member.path("id").asString().equals("n4")) {
                        return joining.url.equals(member.path("httpAddress").asString());
                    }
                }
                return false;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(joining.post("/v1/count", "2").statusCode()).isEqualTo(200);

        assertThat(follower.delete("/v1/cluster/members/n4").statusCode()).isEqualTo(204);
        assertThat(follower.delete("/v1/cluster/members/n9").statusCode()).isEqualTo(404);
        assertThat(follower.post("/v1/cluster/members", "{\"id\":\"n5\"}").statusCode()).isEqualTo(400);
    }

    /** Starts {@code size} nodes; answers their peer list. */
    private String startCluster(int size) {
        int[] ports = new int[size];
        for (int i = 0; i < size; i++) {
            ports[i] = PortProbe.freePort();
        }
        String peers = peers(ports);
        for (int i = 0; i < size; i++) {
            start("n" + (i + 1), ports[i], peers);
        }
        return peers;
    }

    private static String peers(int[] ports) {
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            peers.add("n" + (i + 1) + "@127.0.0.1:" + ports[i]);
        }
        return peers.stream().collect(Collectors.joining(","));
    }

    private CounterNode start(String id, int raftPort, String peers, String... extra) {
        CounterNode node = CounterNode.start(id, raftPort, peers, dataRoot, extra);
        nodes.add(node);
        return node;
    }

    private CounterNode node(String id) {
        return nodes.stream().filter(node -> node.id.equals(id)).findFirst().orElseThrow();
    }

    private static boolean isLeader(CounterNode node) {
        try {
            JsonNode cluster = JSON.readTree(node.get("/v1/cluster").body());
            return node.id.equals(cluster.path("leaderId").asString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
    }
}

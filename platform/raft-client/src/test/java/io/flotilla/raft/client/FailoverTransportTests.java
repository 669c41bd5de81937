package io.flotilla.raft.client;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry rules, against small real HTTP servers that answer as a Raft node would. */
class FailoverTransportTests {

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void aWriteMovesToTheNextNodeWhenTheProblemSaysNotApplied() {
        Node refusing = node(503, problem(RaftProblemType.NO_LEADER, "not-applied"));
        Node leader = node(201, "{\"ok\":true}");

        FailoverResponse response = transport(refusing, leader).send(write());

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.node()).isEqualTo(leader.uri);
        assertThat(refusing.calls.get()).isEqualTo(1);
        assertThat(leader.calls.get()).isEqualTo(1);
    }

    @Test
    void aWriteWhoseOutcomeIsUnknownIsNeverSentToAnotherNode() {
        Node lostLeadership = node(503, problem(RaftProblemType.NOT_LEADER, "unknown"));
        Node leader = node(201, "{}");

        assertThatThrownBy(() -> transport(lostLeadership, leader).send(write()))
            .isInstanceOfSatisfying(ClusterUnavailableException.class,
                    ex -> assertThat(ex.outcome()).isEqualTo(WriteOutcome.UNKNOWN))
            .hasMessageContaining("urn:flotilla:problem:not-leader");
        assertThat(leader.calls.get()).isZero();
    }

    @Test
    void aWriteAnswered503WithoutAnOutcomeCountsAsUnknown() {
        Node proxyError = node(503, "<html>Service Unavailable</html>");
        Node leader = node(201, "{}");

        assertThatThrownBy(() -> transport(proxyError, leader).send(write()))
            .isInstanceOfSatisfying(ClusterUnavailableException.class,
                    ex -> assertThat(ex.outcome()).isEqualTo(WriteOutcome.UNKNOWN));
        assertThat(leader.calls.get()).isZero();
    }

    @Test
    void anIdempotentRequestMovesOnWhateverTheOutcome() {
        Node lostLeadership = node(503, problem(RaftProblemType.NOT_LEADER, "unknown"));
        Node leader = node(200, "[]");

        FailoverResponse response = transport(lostLeadership, leader)
            .send(FailoverRequest.of("GET", "/v1/things", Repeat.IDEMPOTENT));

        assertThat(response.node()).isEqualTo(leader.uri);
    }

    @Test
    void aRefusedConnectionMovesAWriteOnBecauseNothingWasSent() {
        Node leader = node(201, "{}");
        URI closed = URI.create("http://127.0.0.1:" + closedPort());

        FailoverResponse response = FailoverTransport.builder().address(closed).address(leader.uri)
            .failoverTimeout(Duration.ofSeconds(5)).build().send(write());

        assertThat(response.node()).isEqualTo(leader.uri);
    }

    @Test
    void theNodeThatAnsweredIsTriedFirstNextTime() {
        Node refusing = node(503, problem(RaftProblemType.NO_LEADER, "not-applied"));
        Node leader = node(201, "{}");
        FailoverTransport transport = transport(refusing, leader);

        transport.send(write());
        transport.send(write());

        assertThat(refusing.calls.get()).isEqualTo(1);
        assertThat(leader.calls.get()).isEqualTo(2);
    }

    @Test
    void whenNoNodeAppliesAWriteWithinTheTimeoutTheOutcomeIsNotApplied() {
        Node first = node(503, problem(RaftProblemType.NO_LEADER, "not-applied"));
        Node second = node(503, problem(RaftProblemType.NO_LEADER, "not-applied"));

        assertThatThrownBy(() -> FailoverTransport.builder().service("registry").address(first.uri)
            .address(second.uri).failoverTimeout(Duration.ofMillis(300)).build().send(write()))
            .isInstanceOfSatisfying(ClusterUnavailableException.class,
                    ex -> assertThat(ex.outcome()).isEqualTo(WriteOutcome.NOT_APPLIED))
            .hasMessageContaining("No registry node");
    }

    @Test
    void anOutcomeOutsideTheContractIsAnErrorNamingTheField() {
        Node broken = node(503, "{\"type\":\"urn:flotilla:problem:no-leader\",\"outcome\":\"maybe\"}");

        assertThatThrownBy(() -> transport(broken).send(write()))
            .isInstanceOf(ClusterUnavailableException.class)
            .hasMessageContaining("outcome must be 'not-applied' or 'unknown', got 'maybe'");
    }

    @Test
    void otherStatusesAreTheCallersToInterpret() {
        Node failing = node(500, "{\"detail\":\"bug\"}");
        Node leader = node(201, "{}");

        assertThat(transport(failing, leader).send(write()).status()).isEqualTo(500);
        assertThat(leader.calls.get()).isZero();
    }

    @Test
    void aSingleAttemptReturnsEvenA503AndClassifiesARefusedConnectionAsNotApplied() {
        Node follower = node(503, problem(RaftProblemType.NOT_LEADER, "unknown"));
        FailoverTransport transport = FailoverTransport.builder().address(URI.create("http://127.0.0.1:1")).build();

        assertThat(transport.sendTo(follower.uri, write().withHeader("X-Flotilla-Forwarded-By", "n2")).status())
            .isEqualTo(503);
        assertThatThrownBy(() -> transport.sendTo(URI.create("http://127.0.0.1:" + closedPort()), write()))
            .isInstanceOfSatisfying(ClusterUnavailableException.class,
                    ex -> assertThat(ex.outcome()).isEqualTo(WriteOutcome.NOT_APPLIED));
        assertThat(follower.calls.get()).isEqualTo(1);
    }

    @Test
    void aLeaderChangeMovesTheTrafficToTheNewLeaderWhereItStays() {
        Node oldLeader = node(201, "{}");
        Node newLeader = node(201, "{}");
        FailoverTransport transport = transport(oldLeader, newLeader);
        transport.send(write());

        oldLeader.answer(503, problem(RaftProblemType.NOT_LEADER, "not-applied"));
        FailoverResponse moved = transport.send(write());
        transport.send(write());

        assertThat(moved.node()).isEqualTo(newLeader.uri);
        assertThat(oldLeader.calls.get()).isEqualTo(2);
        assertThat(newLeader.calls.get()).isEqualTo(2);
    }

    @Test
    void theTransportsHeadersAndTheRequestsOwnReachTheNode() {
        Node leader = node(201, "{}");
        FailoverTransport transport = FailoverTransport.builder().address(leader.uri)
            .header("Authorization", "Bearer s3cret").build();

        transport.send(write().withHeader("X-Request", "one"));

        assertThat(leader.lastHeaders.get()).containsEntry("Authorization", "Bearer s3cret")
            .containsEntry("X-request", "one").containsEntry("Content-type", "application/json")
            .containsEntry("Accept", "application/json");
    }

    @Test
    void aNodeAddressWithAPathKeepsIt() {
        Node behindProxy = node(200, "[]");
        FailoverTransport transport = FailoverTransport.builder()
            .address(URI.create(behindProxy.uri + "/registry/")).build();

        transport.send(FailoverRequest.of("GET", "/v1/services?consistency=stale", Repeat.IDEMPOTENT));

        assertThat(behindProxy.lastTarget.get()).isEqualTo("/registry/v1/services?consistency=stale");
    }

    @Test
    void callsStartAtTheLeaderTheClusterViewNames() {
        Node follower = node(200, "{}");
        Node leader = node(200, "{}");
        String view = "{\"nodeId\":\"n1\",\"leaderId\":\"n2\",\"members\":[{\"id\":\"n1\",\"httpAddress\":\""
                + follower.uri + "\"},{\"id\":\"n2\",\"httpAddress\":\"" + leader.uri + "/\"}]}";
        follower.clusterView.set(view);

        FailoverTransport transport = transport(follower, leader);
        transport.send(write());
        transport.send(write());

        assertThat(follower.calls.get()).isZero();
        assertThat(leader.calls.get()).isEqualTo(2);
    }

    @Test
    void aLeaderOutsideTheConfiguredAddressesChangesNothing() {
        Node first = node(200, "{}");
        Node second = node(200, "{}");
        first.clusterView.set("{\"leaderId\":\"n9\",\"members\":[{\"id\":\"n9\",\"httpAddress\":"
                + "\"http://elsewhere:8500\"}]}");

        transport(first, second).send(write());

        assertThat(first.calls.get()).isEqualTo(1);
        assertThat(second.calls.get()).isZero();
    }

    @Test
    void anInterruptedCallEndsInsteadOfMovingToTheNextNode() throws Exception {
        Node next = node(200, "[]");
        // A node that takes the connection (the kernel's backlog) and never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            FailoverTransport transport = FailoverTransport.builder().leaderDiscovery(false)
                .address(URI.create("http://127.0.0.1:" + silent.getLocalPort())).address(next.uri).build();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    transport.send(FailoverRequest.of("GET", "/v1/things", Repeat.IDEMPOTENT));
                }
                catch (RuntimeException ex) {
                    failure.set(ex);
                }
            });
            Thread.sleep(300);
            caller.interrupt();
            caller.join(5_000);

            assertThat(failure.get()).isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("Interrupted");
            assertThat(next.calls.get()).isZero();
        }
    }

    private static FailoverRequest write() {
        return FailoverRequest.json("POST", "/v1/things", "{}".getBytes(StandardCharsets.UTF_8),
                Repeat.ONLY_IF_NOT_APPLIED);
    }

    private static FailoverTransport transport(Node... nodes) {
        FailoverTransport.Builder builder = FailoverTransport.builder().failoverTimeout(Duration.ofSeconds(5));
        for (Node node : nodes) {
            builder.address(node.uri);
        }
        return builder.build();
    }

    private static String problem(RaftProblemType type, String outcome) {
        return "{\"type\":\"" + type.uri() + "\",\"status\":503,\"detail\":\"test\",\"outcome\":\"" + outcome + "\"}";
    }

    private Node node(int status, String body) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Node node = new Node(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), new AtomicInteger(),
                    new AtomicReference<>(new Answer(status, body)), new AtomicReference<>(Map.of()),
                    new AtomicReference<>(), new AtomicReference<>(""));
            server.createContext("/", exchange -> {
                if (exchange.getRequestURI().getPath().equals("/v1/cluster")) {
                    byte[] view = node.clusterView.get().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(view.length == 0 ? 404 : 200, view.length == 0 ? -1 : view.length);
                    exchange.getResponseBody().write(view);
                    exchange.close();
                    return;
                }
                node.calls.incrementAndGet();
                Map<String, String> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
                node.lastHeaders.set(headers);
                node.lastTarget.set(exchange.getRequestURI().toString());
                exchange.getRequestBody().readAllBytes();
                Answer answer = node.answer.get();
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            servers.add(server);
            return node;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Answer(int status, String body) {
    }

    private record Node(URI uri, AtomicInteger calls, AtomicReference<Answer> answer,
            AtomicReference<Map<String, String>> lastHeaders, AtomicReference<String> lastTarget,
            AtomicReference<String> clusterView) {

        void answer(int status, String body) {
            answer.set(new Answer(status, body));
        }
    }
}

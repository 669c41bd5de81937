package io.flotilla.raft.server;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.ProposalRefusedException;
import io.flotilla.raft.ReadResult;
import io.flotilla.raft.client.RaftProblemType;
import io.flotilla.raft.client.WriteOutcome;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three {@link RaftServer}s on real sockets (Raft over Netty, fsync'd logs), each with a plain JDK HTTP server on
 * its advertised HTTP port standing in for the service's API, so forwarding is checked end to end, and writes
 * submitted at followers travel to the leader as Raft proposals.
 */
class RaftServerIntegrationTests {

    @TempDir
    Path dataRoot;

    private final List<RaftServer> servers = new ArrayList<>();
    private final List<HttpServer> httpServers = new ArrayList<>();
    private final List<String> peers = new ArrayList<>();
    private final List<Integer> raftPorts = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();

    @BeforeEach
    void startCluster() throws Exception {
        for (int i = 1; i <= 3; i++) {
            int raftPort = PortProbe.freePort();
            int httpPort = PortProbe.freePort();
            raftPorts.add(raftPort);
            httpPorts.add(httpPort);
            peers.add("n" + i + "@127.0.0.1:" + raftPort);
        }
        for (int i = 1; i <= 3; i++) {
            servers.add(startNode(i));
            httpServers.add(echoServer("n" + i, httpPorts.get(i - 1)));
        }
        publishAddresses();
    }

    /** What each node's MemberUrlPublisher does in a service, done here by the leader for all. */
    private void publishAddresses() throws Exception {
        RaftServer leader = awaitLeader();
        for (RaftServer server : servers) {
            leader.publishMemberUrl(server.nodeId(), server.ownHttpUrl().orElseThrow()).get(10, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stopCluster() {
        servers.forEach(RaftServer::close);
        httpServers.forEach(server -> server.stop(0));
    }

    @Test
    void everyNodeNamesTheLeadersHttpAddress() {
        for (RaftServer server : servers) {
            awaitUntil(() -> server.status().leaderId() != null && !server.isLeader()
                    ? server.leaderHttpUrl().isPresent() : server.isLeader());
            String leaderId = server.status().leaderId();
            RaftServer leader = servers.stream().filter(s -> s.nodeId().equals(leaderId)).findFirst().orElseThrow();
            if (server != leader) {
                assertThat(server.leaderHttpUrl()).contains(leader.ownHttpUrl().orElseThrow());
            } else {
                assertThat(server.leaderHttpUrl()).isEmpty();
            }
        }
    }

    @Test
    void writesCommitOnTheLeaderAndFollowersReadTheirWrites() throws Exception {
        RaftServer leader = awaitLeader();
        long index = leader.submit(CountingStateMachine.toBytes(5)).get(10, TimeUnit.SECONDS).index();
        leader.submit(CountingStateMachine.toBytes(7)).get(10, TimeUnit.SECONDS);
        assertThat(CountingStateMachine.fromBytes(leader.read(new byte[0], ReadMode.LINEARIZABLE)
                .get(10, TimeUnit.SECONDS).result())).isEqualTo(12);
        RaftServer follower = aFollower(leader);
        assertThat(follower.read(new byte[0], ReadMode.of(null, index)).get(10, TimeUnit.SECONDS).appliedIndex())
                .isGreaterThanOrEqualTo(index);
    }

    @Test
    void aWriteAtAFollowerIsProposedToTheLeaderAppliedOnceAndReadableAtTheFollowerAtOnce() throws Exception {
        RaftServer leader = awaitLeader();
        leader.submit(CountingStateMachine.toBytes(10)).get(10, TimeUnit.SECONDS);
        RaftServer follower = aFollower(leader);
        awaitUntil(() -> follower.status().leaderId() != null);

        long index = follower.submit(CountingStateMachine.toBytes(5)).get(10, TimeUnit.SECONDS).index();

        ReadResult staleRead = follower.read(new byte[0], ReadMode.STALE).get(10, TimeUnit.SECONDS);
        assertThat(staleRead.appliedIndex()).as("answered after applying it here").isGreaterThanOrEqualTo(index);
        assertThat(CountingStateMachine.fromBytes(staleRead.result())).isEqualTo(15);
        RaftServer current = awaitLeader();
        assertThat(CountingStateMachine.fromBytes(current.read(new byte[0], ReadMode.LINEARIZABLE)
                .get(10, TimeUnit.SECONDS).result())).as("applied once").isEqualTo(15);
    }

    @Test
    void aFollowerRefusesLeaderOnlyDecisionsAsNotApplied() {
        RaftServer follower = aFollower(awaitLeader());
        assertThatThrownBy(() -> follower.submitAtLeader(CountingStateMachine.toBytes(1)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RaftUnavailableException.class)
                .satisfies(failure -> assertThat(((RaftUnavailableException) failure).outcome())
                        .isEqualTo(WriteOutcome.NOT_APPLIED));
    }

    @Test
    void aProposalTheLeaderRefusedMapsTo503NotAppliedWithRetryAfter() {
        ResponseEntity<ProblemDetail> response = RaftProblems.of(new ProposalRefusedException(
                new NotLeaderException("n3", "127.0.0.1:1")), Duration.ofMillis(600)).orElseThrow();
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(response.getBody().getType()).isEqualTo(RaftProblemType.NOT_LEADER.uri());
        assertThat(response.getBody().getProperties()).containsEntry("outcome", "not-applied");
        assertThat(RaftProblems.asUnavailable(new LeaderUnavailableException("lost")).orElseThrow().outcome())
                .as("any other failure of a submitted write").isEqualTo(WriteOutcome.UNKNOWN);
    }

    @Test
    void followerForwardsLeaderOnlyRequestsAndHandlesOtherWritesAndStaleReadsItself() throws Exception {
        for (int attempt = 1; ; attempt++) {
            RaftServer leader = awaitLeader();
            long term = leader.status().term();
            try {
                forwardsThroughAFollowerOf(leader);
                return;
            } catch (AssertionError e) {
                // A new election between choosing the follower and forwarding changes who answers; try again then.
                if (attempt == 5 || awaitLeader().status().term() == term) {
                    throw e;
                }
            }
        }
    }

    private void forwardsThroughAFollowerOf(RaftServer leader) throws Exception {
        RaftServer follower = aFollower(leader);
        awaitUntil(() -> follower.leaderHttpUrl().isPresent());
        LeaderForwardingFilter filter = new LeaderForwardingFilter(follower, LeaderForwardingFilter.leaderOnly("/v1/",
                LeaderLocalRequests.matching("PUT", "/v1/leases/{id}/keepalive"), "/v1/cluster"),
                Duration.ofSeconds(10), null);

        MockHttpServletRequest leaderLocal = new MockHttpServletRequest("PUT", "/v1/leases/7/keepalive");
        leaderLocal.setContent("hello".getBytes(StandardCharsets.UTF_8));
        leaderLocal.addHeader("Authorization", "Bearer secret");
        MockHttpServletResponse forwarded = new MockHttpServletResponse();
        MockFilterChain leaderLocalChain = new MockFilterChain();
        filter.doFilter(leaderLocal, forwarded, leaderLocalChain);
        assertThat(leaderLocalChain.getRequest()).as("not handled locally").isNull();
        assertThat(forwarded.getStatus()).isEqualTo(200);
        assertThat(forwarded.getContentAsString()).isEqualTo(leader.nodeId() + " PUT /v1/leases/7/keepalive Bearer secret "
                + follower.nodeId() + " hello");

        MockHttpServletRequest linearizableRead = new MockHttpServletRequest("GET", "/v1/kv/a");
        MockHttpServletResponse read = new MockHttpServletResponse();
        filter.doFilter(linearizableRead, read, new MockFilterChain());
        assertThat(read.getContentAsString()).startsWith(leader.nodeId() + " GET /v1/kv/a");

        MockHttpServletRequest write = new MockHttpServletRequest("PUT", "/v1/kv/a");
        MockFilterChain writeChain = new MockFilterChain();
        filter.doFilter(write, new MockHttpServletResponse(), writeChain);
        assertThat(writeChain.getRequest()).as("a write is handled (and proposed) here").isNotNull();

        MockHttpServletRequest staleRead = new MockHttpServletRequest("GET", "/v1/kv/a");
        staleRead.setParameter("consistency", "stale");
        MockFilterChain readChain = new MockFilterChain();
        filter.doFilter(staleRead, new MockHttpServletResponse(), readChain);
        assertThat(readChain.getRequest()).as("handled locally").isNotNull();

        MockHttpServletRequest bounced = new MockHttpServletRequest("PUT", "/v1/leases/7/keepalive");
        bounced.addHeader(LeaderForwardingFilter.FORWARDED_HEADER, "n9");
        MockHttpServletResponse refused = new MockHttpServletResponse();
        filter.doFilter(bounced, refused, new MockFilterChain());
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isNotNull();
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
    }

    @Test
    void clusterViewShowsRolesAndTheLeadersMatchIndexes() throws Exception {
        RaftServer leader = awaitLeader();
        leader.submit(CountingStateMachine.toBytes(1)).get(10, TimeUnit.SECONDS);
        ClusterView view = leader.clusterView();
        assertThat(view.leaderId()).isEqualTo(leader.nodeId());
        assertThat(view.members()).hasSize(3);
        assertThat(view.members()).filteredOn(m -> m.role().equals("LEADER")).hasSize(1);
        assertThat(view.members()).allSatisfy(m -> assertThat(m.matchIndex()).isNotNull());
        RaftServer follower = aFollower(leader);
        awaitUntil(() -> follower.clusterView().leaderId() != null);
        assertThat(follower.clusterView().members()).allSatisfy(m -> assertThat(m.matchIndex()).isNull());
    }

    @Test
    void removedMemberLeavesTheConfigurationAndDataSurvivesARestart() throws Exception {
        RaftServer leader = awaitLeader();
        leader.submit(CountingStateMachine.toBytes(40)).get(10, TimeUnit.SECONDS);
        RaftServer follower = aFollower(leader);
        leader.removeMember(follower.nodeId()).get(10, TimeUnit.SECONDS);
        assertThat(leader.clusterView().members()).extracting(ClusterView.Member::id)
                .doesNotContain(follower.nodeId()).hasSize(2);

        servers.forEach(RaftServer::close);
        servers.clear();
        for (int i = 1; i <= 3; i++) {
            servers.add(startNode(i));
        }
        RaftServer newLeader = awaitLeader();
        assertThat(CountingStateMachine.fromBytes(newLeader.read(new byte[0], ReadMode.LINEARIZABLE)
                .get(10, TimeUnit.SECONDS).result())).isEqualTo(40);
        assertThat(newLeader.clusterView().members()).hasSize(2);
    }

    private RaftServer startNode(int i) {
        RaftServerProperties properties = new RaftServerProperties();
        properties.setNodeId("n" + i);
        properties.setRaftPort(raftPorts.get(i - 1));
        properties.setPeers(peers);
        properties.setDataDir(dataRoot.resolve("n" + i));
        properties.setElectionTimeoutMin(Duration.ofMillis(300));
        properties.setElectionTimeoutMax(Duration.ofMillis(600));
        properties.setHeartbeatInterval(Duration.ofMillis(50));
        RaftServer server = new RaftServer(properties, new RaftService("test", "test.raft", new CountingStateMachine()),
                null);
        server.start();
        server.advertiseHttpPort(httpPorts.get(i - 1), false);
        return server;
    }

    /** Answers "<node> <method> <path> <authorization> <forwarded-by> <body>". */
    private static HttpServer echoServer(String nodeId, int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (nodeId + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + " " + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst(LeaderForwardingFilter.FORWARDED_HEADER) + " " + body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private RaftServer awaitLeader() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (RaftServer server : servers) {
                if (server.isLeader()) {
                    return server;
                }
            }
            sleep();
        }
        throw new AssertionError("no leader within 20 s");
    }

    private RaftServer aFollower(RaftServer leader) {
        return servers.stream().filter(server -> server != leader && server.clusterView().members().stream()
                .anyMatch(m -> m.id().equals(server.nodeId()))).findFirst().orElseThrow();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

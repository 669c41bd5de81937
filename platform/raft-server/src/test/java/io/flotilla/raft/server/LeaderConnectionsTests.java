package io.flotilla.raft.server;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.raft.client.ClusterUnavailableException;
import io.flotilla.raft.client.WriteOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The follower's connections to its leader: reuse, and what each failure says about a write. */
class LeaderConnectionsTests {

    private final LeaderConnections connections = new LeaderConnections(null, Duration.ofSeconds(2));

    private HttpServer server;

    @AfterEach
    void stop() {
        connections.close();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void exchangesReuseOneKeepAliveConnectionAndRelayStatusHeadersAndBody() throws Exception {
        Set<Object> clientPorts = ConcurrentHashMap.newKeySet();
        URI leader = startServer(exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] answer = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("X-Test") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Answer", "yes");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });

        for (int i = 0; i < 5; i++) {
            LeaderConnections.Answer answer = connections.exchange(leader, "PUT", "/v1/kv/a?x=" + i,
                    Map.of("X-Test", "t" + i), ("v" + i).getBytes(StandardCharsets.UTF_8), "text/plain",
                    Duration.ofSeconds(20));
            assertThat(answer.status()).isEqualTo(201);
            assertThat(answer.headers().get("X-Answer")).isEqualTo("yes");
            assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                    .isEqualTo("PUT /v1/kv/a?x=" + i + " t" + i + " text/plain v" + i);
        }
        assertThat(clientPorts).as("one connection for one request at a time").hasSize(1);
    }

    @Test
    void aConnectionTheLeaderClosesIsNotReused() throws Exception {
        AtomicInteger served = new AtomicInteger();
        Set<Object> clientPorts = ConcurrentHashMap.newKeySet();
        URI leader = startServer(exchange -> {
            served.incrementAndGet();
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        for (int i = 0; i < 3; i++) {
            assertThat(connections.exchange(leader, "DELETE", "/v1/kv/a", Map.of(), new byte[0], "text/plain",
                    Duration.ofSeconds(20)).status()).isEqualTo(204);
        }
        assertThat(served).hasValue(3);
        assertThat(clientPorts).hasSize(3);
    }

    @Test
    void aRefusedConnectionSentNothing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> connections.exchange(URI.create("http://127.0.0.1:" + closedPort), "PUT", "/v1/kv/a",
                Map.of(), new byte[] {1}, "text/plain", Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(ClusterUnavailableException.class,
                        refused -> assertThat(refused.outcome()).isEqualTo(WriteOutcome.NOT_APPLIED));
    }

    @Test
    void aRequestSentAndNotAnsweredMayHaveBeenApplied() throws Exception {
        try (ServerSocket leader = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread closer = Thread.ofVirtual().start(() -> {
                try (Socket accepted = leader.accept(); InputStream in = accepted.getInputStream()) {
                    in.read(new byte[1024]);
                } catch (Exception ignored) {
                    // the test only needs the connection closed after the request arrived
                }
            });
            assertThatThrownBy(() -> connections.exchange(URI.create("http://127.0.0.1:" + leader.getLocalPort()),
                    "PUT", "/v1/kv/a", Map.of(), new byte[] {1}, "text/plain", Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(ClusterUnavailableException.class,
                            unanswered -> assertThat(unanswered.outcome()).isEqualTo(WriteOutcome.UNKNOWN));
            closer.join();
        }
    }

    @Test
    void anAnswerCutOffHalfWayMayHaveBeenApplied() throws Exception {
        try (ServerSocket leader = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread halfAnswer = Thread.ofVirtual().start(() -> {
                try (Socket accepted = leader.accept(); InputStream in = accepted.getInputStream()) {
                    in.read(new byte[1024]);
                    accepted.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"par"
                            .getBytes(StandardCharsets.US_ASCII));
                    accepted.getOutputStream().flush();
                } catch (Exception ignored) {
                    // the test only needs the answer cut off
                }
            });
            assertThatThrownBy(() -> connections.exchange(URI.create("http://127.0.0.1:" + leader.getLocalPort()),
                    "PUT", "/v1/kv/a", Map.of(), new byte[] {1}, "text/plain", Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(ClusterUnavailableException.class,
                            cutOff -> assertThat(cutOff.outcome()).isEqualTo(WriteOutcome.UNKNOWN));
            halfAnswer.join();
        }
    }

    private URI startServer(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}

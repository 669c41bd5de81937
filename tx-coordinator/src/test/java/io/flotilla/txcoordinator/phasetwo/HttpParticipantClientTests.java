package io.flotilla.txcoordinator.phasetwo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;
import io.flotilla.raft.client.ContractJson;
import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.BranchBatchResult;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.txcoordinator.phasetwo.ParticipantClient.CallOutcome;
import io.flotilla.txcoordinator.phasetwo.ParticipantClient.CheckBackOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The phase-two client against a real HTTP server on loopback (the JDK's, as a participant would answer). */
class HttpParticipantClientTests {

    private static final String KEY = "0123456789abcdef0123456789abcdef-test-key";

    private HttpServer server;
    private HttpParticipantClient client;
    private final List<String> verifiedBodies = new CopyOnWriteArrayList<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/confirm", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            clientPorts.add(exchange.getRemoteAddress().getPort());
            if (signedWithKey(exchange, body)) {
                verifiedBodies.add(new String(body, StandardCharsets.UTF_8));
                answer(exchange, 200, "");
            } else {
                answer(exchange, 401, "not signed");
            }
        });
        server.createContext("/refuse", exchange -> {
            exchange.getRequestBody().readAllBytes();
            answer(exchange, 500, "the ledger is closed");
        });
        // A batch endpoint: answers the calls in order, the ones on branch 13 failing as a participant's would.
        server.createContext("/batch", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!signedWithKey(exchange, body)) {
                answer(exchange, 401, "not signed");
                return;
            }
            verifiedBodies.add(new String(body, StandardCharsets.UTF_8));
            BranchBatch batch = ContractJson.mapper().readValue(body, BranchBatch.class);
            List<BranchBatchResult.Outcome> outcomes = batch.calls().stream()
                    .map(call -> call.branchId() == 13
                            ? new BranchBatchResult.Outcome(call.xid(), call.branchId(), 503, "", "try later")
                            : new BranchBatchResult.Outcome(call.xid(), call.branchId(), 200, "done", ""))
                    .toList();
            answer(exchange, 200, ContractJson.mapper().writeValueAsString(new BranchBatchResult(outcomes)));
        });
        server.createContext("/short-batch", exchange -> {
            exchange.getRequestBody().readAllBytes();
            answer(exchange, 200, "{\"outcomes\":[{\"xid\":\"tx-7\",\"branchId\":1,\"status\":200}]}");
        });
        server.createContext("/check", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            answer(exchange, 200, body.replace("}", ",\"status\":\"COMMITTED\"}"));
        });
        server.start();
        client = new HttpParticipantClient(Duration.ofSeconds(5), KEY, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void signedCallAnswered2xxIsAcknowledged() {
        CallOutcome outcome = client.call(url("/confirm"), "tx-1", 7).join();

        assertThat(outcome.acknowledged()).isTrue();
        assertThat(verifiedBodies).containsExactly("{\"xid\":\"tx-1\",\"branchId\":7}");
    }

    @Test
    void unsignedCallIsRefusedByASigningParticipant() {
        try (HttpParticipantClient unsigned = new HttpParticipantClient(Duration.ofSeconds(5), null,
                Clock.systemUTC())) {
            CallOutcome outcome = unsigned.call(url("/confirm"), "tx-1", 7).join();

            assertThat(outcome.acknowledged()).isFalse();
            assertThat(outcome.error()).isEqualTo("HTTP 401: not signed");
        }
    }

    @Test
    void consecutiveCallsShareOneKeptAliveConnection() {
        for (int branch = 1; branch <= 5; branch++) {
            assertThat(client.call(url("/confirm"), "tx-2", branch).join().acknowledged()).isTrue();
        }

        assertThat(verifiedBodies).hasSize(5);
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void refusalKeepsStatusAndBodyAsTheError() {
        CallOutcome outcome = client.call(url("/refuse"), "tx-3", 1).join();

        assertThat(outcome.acknowledged()).isFalse();
        assertThat(outcome.error()).isEqualTo("HTTP 500: the ledger is closed");
    }

    @Test
    void participantThatIsDownIsAFailedAttemptNotAnException() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        CallOutcome outcome = client.call("http://127.0.0.1:" + closedPort + "/confirm", "tx-4", 1).join();

        assertThat(outcome.acknowledged()).isFalse();
        assertThat(outcome.error()).startsWith("ConnectException: ");
    }

    @Test
    void urlThatIsNotHttpFailsWithoutACall() {
        CallOutcome outcome = client.call("ftp://127.0.0.1/confirm", "tx-5", 1).join();

        assertThat(outcome.acknowledged()).isFalse();
        assertThat(outcome.error()).startsWith("invalid URL: ");
        assertThat(verifiedBodies).isEmpty();
    }

    @Test
    void aBatchIsOneSignedCallAnsweredPerBranch() {
        List<BranchBatch.Call> calls = List.of(new BranchBatch.Call("/flotilla/tx/tcc/stock/confirm", "tx-7", 12),
                new BranchBatch.Call("/flotilla/tx/tcc/stock/confirm", "tx-8", 13),
                new BranchBatch.Call("/flotilla/tx/xa/ledger/rollback", "tx-9", 14));

        List<CallOutcome> outcomes = client.callBatch(url("/batch"), calls).join();

        assertThat(verifiedBodies).singleElement().asString().contains("\"tx-7\"", "\"tx-8\"", "\"tx-9\"");
        assertThat(outcomes).extracting(CallOutcome::acknowledged).containsExactly(true, false, true);
        assertThat(outcomes.get(1).error()).isEqualTo("HTTP 503 (in a batch): try later");
    }

    @Test
    void aBatchThatFailsOrIsAnsweredForOtherCallsFailsEveryCall() {
        List<BranchBatch.Call> calls = List.of(new BranchBatch.Call("/p/tcc/r/confirm", "tx-7", 1),
                new BranchBatch.Call("/p/tcc/r/confirm", "tx-7", 2));

        assertThat(client.callBatch(url("/refuse"), calls).join()).hasSize(2)
                .allSatisfy(outcome -> assertThat(outcome.error()).isEqualTo("batch: HTTP 500: the ledger is closed"));
        assertThat(client.callBatch(url("/short-batch"), calls).join()).hasSize(2)
                .allSatisfy(outcome -> assertThat(outcome.error()).startsWith("not an answer to this batch"));
        assertThat(client.callBatch("ftp://127.0.0.1/batch", calls).join()).hasSize(2)
                .allSatisfy(outcome -> assertThat(outcome.error()).startsWith("invalid URL: "));
    }

    @Test
    void checkBackReadsTheProducersAnswer() {
        CheckBackOutcome outcome = client.checkBack(url("/check"), "msg-1").join();

        assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    }

    @Test
    void closedClientFailsNewCallsWithoutSending() {
        client.close();

        CallOutcome outcome = client.call(url("/confirm"), "tx-6", 1).join();

        assertThat(outcome.acknowledged()).isFalse();
        assertThat(verifiedBodies).isEmpty();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static boolean signedWithKey(HttpExchange exchange, byte[] body) {
        String signature = exchange.getRequestHeaders().getFirst(FlotillaHeaders.SIGNATURE);
        String timestamp = exchange.getRequestHeaders().getFirst(FlotillaHeaders.SIGNATURE_TIMESTAMP);
        String nonce = exchange.getRequestHeaders().getFirst(FlotillaHeaders.SIGNATURE_NONCE);
        return signature != null && timestamp != null && nonce != null
                && RequestSignature.matches(List.of(KEY), signature, exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(), Long.parseLong(timestamp), nonce, body);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}

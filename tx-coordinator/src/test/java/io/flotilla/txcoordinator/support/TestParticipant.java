package io.flotilla.txcoordinator.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flotilla.raft.client.ContractJson;
import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.BranchBatchResult;
import io.flotilla.raft.client.RequestSignature;
import io.flotilla.testsupport.process.TestCoordinator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP participant on loopback (JDK HttpServer): {@code POST /confirm} and {@code POST /cancel} record the
 * {@code {xid, branchId}} they receive and answer 200, or 500 while told to fail, or 401 when the call is not
 * signed with {@link TestCoordinator#PHASE_TWO_KEY} (as a real participant refuses it). It can be stopped and started
 * again on the same port to play a participant that is down during phase two.
 *
 * <p>{@code POST /batch} is its batch endpoint ({@link #batchUrl()}, to announce at registration): each call of the
 * {@link BranchBatch} is recorded and answered as the single call to its path would be (the action is the path's
 * last segment), in one {@link BranchBatchResult}; {@link #batchSizes()} lists the calls per batch received. While
 * {@link #holdBatches()} is in force a batch is recorded but not answered until {@link #releaseBatches()}.
 */
public final class TestParticipant implements AutoCloseable {

    private static final Pattern XID = Pattern.compile("\"xid\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern BRANCH = Pattern.compile("\"branchId\"\\s*:\\s*(\\d+)");

    /** One received call; {@code answered} is the status it got. */
    public record Call(String action, String xid, long branchId, int answered) {
    }

    private final String resource;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> deliveries = new CopyOnWriteArrayList<>();
    private volatile String checkAnswer = "COMMITTED";
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch batchHold = new CountDownLatch(0);
    private volatile int port;
    private volatile HttpServer server;

    private TestParticipant(String resource) {
        this.resource = resource;
    }

    public static TestParticipant start(String resource) {
        TestParticipant participant = new TestParticipant(resource);
        participant.listen(0);
        return participant;
    }

    public String resource() {
        return resource;
    }

    public String confirmUrl() {
        return "http://127.0.0.1:" + port + "/confirm";
    }

    public String cancelUrl() {
        return "http://127.0.0.1:" + port + "/cancel";
    }

    /** The batch endpoint. */
    public String batchUrl() {
        return "http://127.0.0.1:" + port + "/batch";
    }

    /** The number of calls in each batch received, in arrival order. */
    public List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** Batches from now on are recorded at once but answered only after {@link #releaseBatches()}. */
    public void holdBatches() {
        batchHold = new CountDownLatch(1);
    }

    public void releaseBatches() {
        batchHold.countDown();
    }

    /** Where a two-phase message is delivered: the bodies received there are {@link #deliveries()}. */
    public String deliverUrl() {
        return "http://127.0.0.1:" + port + "/deliver";
    }

    /** A producer's check-back endpoint: answers {@code {"xid":…,"status":<checkAnswer>}}. */
    public String checkUrl() {
        return "http://127.0.0.1:" + port + "/check";
    }

    /** What the check-back answers from now on (COMMITTED, ROLLED_BACK, or anything else to play a broken one). */
    public void checkAnswer(String status) {
        checkAnswer = status;
    }

    /** Bodies of the deliveries answered 200. */
    public List<String> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The next {@code count} calls answer 500. */
    public void failNext(int count) {
        failuresLeft.set(count);
    }

    /** Stops listening: calls fail with connection refused until {@link #restart()}. */
    public void stop() {
        server.stop(0);
    }

    public void restart() {
        listen(port);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String action) {
        return calls.stream().filter(call -> call.action().equals(action)).toList();
    }

    private void listen(int onPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
            created.createContext("/confirm", exchange -> handle("confirm", exchange));
            created.createContext("/cancel", exchange -> handle("cancel", exchange));
            created.createContext("/deliver", exchange -> handle("deliver", exchange));
            created.createContext("/check", this::check);
            created.createContext("/batch", this::batch);
            created.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            created.start();
            server = created;
            port = created.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(String action, HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher xid = XID.matcher(body);
        Matcher branch = BRANCH.matcher(body);
        boolean wellFormed = "POST".equals(exchange.getRequestMethod()) && xid.find() && branch.find();
        int status;
        if (!signed(exchange, body)) {
            status = 401;
        } else if (!wellFormed) {
            status = 400;
        } else if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            status = 500;
        } else {
            status = 200;
        }
        calls.add(new Call(action, wellFormed ? xid.group(1) : "", wellFormed ? Long.parseLong(branch.group(1)) : 0,
                status));
        if (action.equals("deliver") && status == 200) {
            deliveries.add(body);
        }
        byte[] answer = (status == 200 ? "{\"ok\":true}" : "{\"error\":\"told to fail\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private void batch(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status = 200;
        String answer;
        if (!signed(exchange, body)) {
            status = 401;
            answer = "{\"error\":\"not signed\"}";
        } else {
            BranchBatch batch = ContractJson.mapper().readValue(body, BranchBatch.class);
            batchSizes.add(batch.calls().size());
            List<BranchBatchResult.Outcome> outcomes = new java.util.ArrayList<>();
            for (BranchBatch.Call call : batch.calls()) {
                int answered = failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? 500 : 200;
                String action = call.path().substring(call.path().lastIndexOf('/') + 1);
                calls.add(new Call(action, call.xid(), call.branchId(), answered));
                outcomes.add(new BranchBatchResult.Outcome(call.xid(), call.branchId(), answered,
                        answered == 200 ? "done" : "", answered == 200 ? "" : "told to fail"));
            }
            answer = ContractJson.mapper().writeValueAsString(new BranchBatchResult(outcomes));
            try {
                batchHold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private void check(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher xid = XID.matcher(body);
        boolean wellFormed = xid.find();
        int status = !signed(exchange, body) ? 401 : !wellFormed ? 400 : 200;
        calls.add(new Call("check", wellFormed ? xid.group(1) : "", 0, status));
        byte[] answer = (status == 200 ? "{\"xid\":\"" + xid.group(1) + "\",\"status\":\"" + checkAnswer + "\"}"
                : "{}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private static boolean signed(HttpExchange exchange, String body) {
        String signature = exchange.getRequestHeaders().getFirst(FlotillaHeaders.SIGNATURE);
        String timestamp = exchange.getRequestHeaders().getFirst(FlotillaHeaders.SIGNATURE_TIMESTAMP);
        String nonce = exchange.getRequestHeaders().getFirst(FlotillaHeaders.SIGNATURE_NONCE);
        return signature != null && timestamp != null && nonce != null
                && RequestSignature.matches(List.of(TestCoordinator.PHASE_TWO_KEY), signature, exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), Long.parseLong(timestamp), nonce,
                        body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

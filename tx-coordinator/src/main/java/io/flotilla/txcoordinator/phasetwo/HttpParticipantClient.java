package io.flotilla.txcoordinator.phasetwo;

import io.flotilla.raft.client.ContractJson;
import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;
import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.BranchBatchResult;
import io.flotilla.tx.api.BranchCall;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.MessageCheck;
import io.flotilla.tx.api.MessageCheckResult;
import io.flotilla.tx.api.MessageDelivery;
import io.flotilla.txcoordinator.state.TxValidation;

import io.flotilla.raft.client.HttpAnswer;
import io.flotilla.raft.client.KeepAliveHttpClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Phase-two calls over the raft-client's {@link KeepAliveHttpClient}, each on a virtual thread of its own. The body
 * is a {@link BranchCall}, {@code {"xid":"…","branchId":n}}, or for a two-phase message's target a
 * {@link MessageDelivery}, or to a participant's batch endpoint a {@link BranchBatch} answered per call; any 2xx is
 * an acknowledgement, anything else (status, connection failure, timeout) a
 * failure whose description is kept in the log as the branch's {@code lastError}. With a signing key every call is
 * signed ({@link RequestSignature}: method, path, body digest, timestamp and a fresh nonce per attempt), so a
 * participant can refuse calls not made here.
 *
 * <p>Why not the JDK's {@code HttpClient}: under the side-by-side benchmark its asynchronous machinery (selector
 * thread, sequential schedulers, future chains per exchange) was 15 % of the coordinator's CPU samples, about as
 * much as Tomcat serving the transactions themselves (docs/benchmarks.md, "Seata, side by side"). A blocking
 * exchange on a kept-alive connection, on a virtual thread, does the same call with a fraction of that. Nothing is
 * sent twice here: a connection that fails mid-exchange is a failed attempt, retried by {@link PhaseTwoDriver}
 * after its back-off like any other (confirm and cancel are idempotent at the participant).
 */
public final class HttpParticipantClient implements ParticipantClient, AutoCloseable {

    private static final int MAX_BODY_IN_ERROR = 200;

    private final KeepAliveHttpClient http;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("phase-two-", 0).factory());
    private final Duration callTimeout;
    private final String signingKey;
    private final Clock clock;

    /**
     * @param callTimeout longest wait for a connection, and then for the answer once the call was written
     * @param signingKey the key to sign with, or {@code null} to send unsigned calls (only participants that
     *                   opted out of signatures accept them)
     */
    public HttpParticipantClient(Duration callTimeout, String signingKey, Clock clock) {
        this.http = new KeepAliveHttpClient(null, callTimeout);
        this.callTimeout = callTimeout;
        this.signingKey = signingKey;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<CallOutcome> call(String url, String xid, long branchId) {
        return post(url, body(xid, branchId));
    }

    @Override
    public CompletableFuture<List<CallOutcome>> callBatch(String batchUrl, List<BranchBatch.Call> calls) {
        return post(batchUrl, ContractJson.mapper().writeValueAsString(new BranchBatch(calls)),
                (status, text) -> batchAnswer(calls, status, text),
                error -> Collections.nCopies(calls.size(), CallOutcome.failed(error)));
    }

    /** Each call's outcome from the batch's answer; an answer that is not one per call, in order, fails them all. */
    static List<CallOutcome> batchAnswer(List<BranchBatch.Call> calls, int status, String text) {
        if (status / 100 != 2) {
            CallOutcome failed = CallOutcome.failed(limit("batch: HTTP " + status + (text.isEmpty() ? "" : ": " + cut(text))));
            return Collections.nCopies(calls.size(), failed);
        }
        BranchBatchResult result;
        try {
            result = ContractJson.mapper().readValue(text, BranchBatchResult.class);
        } catch (RuntimeException unreadable) {
            result = null;
        }
        if (result == null || result.outcomes() == null || result.outcomes().size() != calls.size()) {
            return Collections.nCopies(calls.size(), CallOutcome.failed(limit("not an answer to this batch: " + cut(text))));
        }
        List<CallOutcome> outcomes = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            BranchBatch.Call call = calls.get(i);
            BranchBatchResult.Outcome outcome = result.outcomes().get(i);
            if (outcome == null || !call.xid().equals(outcome.xid()) || call.branchId() != outcome.branchId()) {
                return Collections.nCopies(calls.size(),
                        CallOutcome.failed(limit("not an answer to this batch: " + cut(text))));
            }
            outcomes.add(outcome.status() / 100 == 2 ? CallOutcome.ok() : CallOutcome.failed(limit("HTTP "
                    + outcome.status() + " (in a batch)" + (outcome.detail() == null || outcome.detail().isEmpty()
                    ? "" : ": " + cut(outcome.detail())))));
        }
        return outcomes;
    }

    @Override
    public CompletableFuture<CallOutcome> deliver(String url, MessageDelivery delivery) {
        return post(url, ContractJson.mapper().writeValueAsString(delivery));
    }

    @Override
    public CompletableFuture<CheckBackOutcome> checkBack(String url, String xid) {
        return post(url, ContractJson.mapper().writeValueAsString(new MessageCheck(xid)), (status, text) -> {
            if (status / 100 != 2) {
                return CheckBackOutcome.failed(limit("HTTP " + status + (text.isEmpty() ? "" : ": " + cut(text))));
            }
            try {
                MessageCheckResult result = ContractJson.mapper().readValue(text, MessageCheckResult.class);
                if (xid.equals(result.xid()) && (result.status() == GlobalStatus.COMMITTED
                        || result.status() == GlobalStatus.ROLLED_BACK)) {
                    return CheckBackOutcome.answered(result.status());
                }
            } catch (RuntimeException unreadable) {
                // answered below
            }
            return CheckBackOutcome.failed(limit("not a check-back answer for " + xid + ": " + cut(text)));
        }, CheckBackOutcome::failed);
    }

    private CompletableFuture<CallOutcome> post(String url, String json) {
        return post(url, json, (status, text) -> status / 100 == 2 ? CallOutcome.ok()
                : CallOutcome.failed(limit("HTTP " + status + (text.isEmpty() ? "" : ": " + cut(text)))),
                CallOutcome::failed);
    }

    private static String cut(String text) {
        return text.length() > MAX_BODY_IN_ERROR ? text.substring(0, MAX_BODY_IN_ERROR) + "…" : text;
    }

    private <T> CompletableFuture<T> post(String url, String json, BiFunction<Integer, String, T> answered,
                                          Function<String, T> failed) {
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getRawAuthority() == null || !("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(failed.apply("invalid URL: " + e.getMessage()));
        }
        try {
            return CompletableFuture.supplyAsync(() -> exchange(uri, json, answered, failed), calls);
        } catch (RejectedExecutionException closing) {
            return CompletableFuture.completedFuture(failed.apply("the coordinator is shutting down"));
        }
    }

    private <T> T exchange(URI uri, String json, BiFunction<Integer, String, T> answered, Function<String, T> failed) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (signingKey != null) {
            long now = clock.millis();
            String nonce = RequestSignature.newNonce();
            headers.put(FlotillaHeaders.SIGNATURE_TIMESTAMP, Long.toString(now));
            headers.put(FlotillaHeaders.SIGNATURE_NONCE, nonce);
            headers.put(FlotillaHeaders.SIGNATURE,
                    RequestSignature.sign(signingKey, "POST", path, now, nonce, body));
        }
        try {
            HttpAnswer answer = http.exchange(uri, "POST",
                    uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery(), headers, body, callTimeout);
            return answered.apply(answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
        } catch (Exception failure) {
            return failed.apply(limit(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        }
    }

    /** Stops taking calls and closes the idle connections; calls in flight finish or fail on their own. */
    @Override
    public void close() {
        calls.shutdown();
        http.close();
    }

    static String body(String xid, long branchId) {
        return ContractJson.mapper().writeValueAsString(new BranchCall(xid, branchId));
    }

    private static String limit(String error) {
        return error.length() <= TxValidation.MAX_ERROR_LENGTH ? error
                : error.substring(0, TxValidation.MAX_ERROR_LENGTH - 1) + "…";
    }
}

package io.flotilla.txcoordinator.phasetwo;

import io.flotilla.raft.client.ContractJson;
import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;
import io.flotilla.tx.api.BranchCall;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.MessageCheck;
import io.flotilla.tx.api.MessageCheckResult;
import io.flotilla.tx.api.MessageDelivery;
import io.flotilla.txcoordinator.state.TxValidation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Phase-two calls over the JDK HTTP client. The body is a {@link BranchCall}, {@code {"xid":"…","branchId":n}}, or
 * for a two-phase message's target a {@link MessageDelivery};
 * any 2xx is an acknowledgement, anything else (status, connection failure, timeout) a failure whose description
 * is kept in the log as the branch's {@code lastError}. With a signing key every call is signed
 * ({@link RequestSignature}: method, path, body digest, timestamp and a fresh nonce per attempt), so a participant
 * can refuse calls not made here.
 */
public final class HttpParticipantClient implements ParticipantClient {

    private static final int MAX_BODY_IN_ERROR = 200;

    private final HttpClient http;
    private final Duration callTimeout;
    private final String signingKey;
    private final Clock clock;

    /**
     * @param signingKey the key to sign with, or {@code null} to send unsigned calls (only participants that
     *                   opted out of signatures accept them)
     */
    public HttpParticipantClient(HttpClient http, Duration callTimeout, String signingKey, Clock clock) {
        this.http = http;
        this.callTimeout = callTimeout;
        this.signingKey = signingKey;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<CallOutcome> call(String url, String xid, long branchId) {
        return post(url, body(xid, branchId));
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
        HttpRequest request;
        try {
            URI uri = URI.create(url);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(callTimeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (signingKey != null) {
                long now = clock.millis();
                String nonce = RequestSignature.newNonce();
                builder.header(FlotillaHeaders.SIGNATURE_TIMESTAMP, Long.toString(now))
                        .header(FlotillaHeaders.SIGNATURE_NONCE, nonce)
                        .header(FlotillaHeaders.SIGNATURE,
                                RequestSignature.sign(signingKey, "POST", uri.getRawPath(), now, nonce, body));
            }
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(failed.apply("invalid URL: " + e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        return failed.apply(limit(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
                    }
                    return answered.apply(response.statusCode(), response.body() == null ? "" : response.body());
                });
    }

    static String body(String xid, long branchId) {
        return ContractJson.mapper().writeValueAsString(new BranchCall(xid, branchId));
    }

    private static String limit(String error) {
        return error.length() <= TxValidation.MAX_ERROR_LENGTH ? error
                : error.substring(0, TxValidation.MAX_ERROR_LENGTH - 1) + "…";
    }
}

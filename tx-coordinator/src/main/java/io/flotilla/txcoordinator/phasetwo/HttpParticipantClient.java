package io.flotilla.txcoordinator.phasetwo;

import io.flotilla.raft.client.ContractJson;
import io.flotilla.tx.api.BranchCall;
import io.flotilla.txcoordinator.state.TxValidation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Phase-two calls over the JDK HTTP client. The body is a {@link BranchCall}, {@code {"xid":"…","branchId":n}};
 * any 2xx is an acknowledgement, anything else (status, connection failure, timeout) a failure whose description
 * is kept in the log as the branch's {@code lastError}.
 */
public final class HttpParticipantClient implements ParticipantClient {

    private static final int MAX_BODY_IN_ERROR = 200;

    private final HttpClient http;
    private final Duration callTimeout;

    public HttpParticipantClient(HttpClient http, Duration callTimeout) {
        this.http = http;
        this.callTimeout = callTimeout;
    }

    @Override
    public CompletableFuture<CallOutcome> call(String url, String xid, long branchId) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(callTimeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(xid, branchId))).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CallOutcome.failed("invalid URL: " + e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        return CallOutcome.failed(limit(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
                    }
                    if (response.statusCode() / 100 == 2) {
                        return CallOutcome.ok();
                    }
                    String text = response.body() == null ? "" : response.body();
                    if (text.length() > MAX_BODY_IN_ERROR) {
                        text = text.substring(0, MAX_BODY_IN_ERROR) + "…";
                    }
                    return CallOutcome.failed(limit("HTTP " + response.statusCode() + (text.isEmpty() ? "" : ": " + text)));
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

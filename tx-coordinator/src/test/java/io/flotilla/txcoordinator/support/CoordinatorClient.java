package io.flotilla.txcoordinator.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A plain HTTP client of the coordinator API for tests: status, content type and the JSON body of each answer. */
public final class CoordinatorClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Response(int status, String contentType, JsonNode body, HttpResponse<String> raw) {
        public String text(String field) {
            return body.path(field).asString();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String baseUrl;

    public CoordinatorClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public void baseUrl(String url) {
        this.baseUrl = url;
    }

    public Response post(String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        request = json == null ? request.POST(HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return send(request.build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /**
     * Posts, retrying (for up to 60 s) while the answer is a 503 that proves the request was not applied: "No leader"
     * is answered before any log write (by a follower's forwarding filter, or by a node that knows no leader). A 503
     * after a write was accepted has an unknown outcome and is returned as is.
     */
    public Response postUntilLeaderKnown(String path, String json) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Response response = post(path, json);
        while (response.status() == 503 && "No leader".equals(response.text("title")) && System.nanoTime() < deadline) {
            sleep(200);
            response = post(path, json);
        }
        return response;
    }

    /** Begins a transaction and returns its xid. */
    public String begin(String mode, long timeoutMs) {
        Response begun = postUntilLeaderKnown("/v1/transactions",
                "{\"mode\":\"" + mode + "\",\"timeoutMs\":" + timeoutMs + "}");
        if (begun.status() != 201) {
            throw new AssertionError("begin answered " + begun.status() + ": " + begun.raw().body());
        }
        return begun.text("xid");
    }

    public long addBranch(String xid, TestParticipant participant) {
        Response added = postUntilLeaderKnown("/v1/transactions/" + xid + "/branches", "{\"resource\":\""
                + participant.resource()
                + "\",\"confirmUrl\":\"" + participant.confirmUrl() + "\",\"cancelUrl\":\"" + participant.cancelUrl()
                + "\"}");
        if (added.status() != 201) {
            throw new AssertionError("add branch answered " + added.status() + ": " + added.raw().body());
        }
        return added.body().path("branchId").asLong();
    }

    /** Adds a branch whose registration announces the participant's batch endpoint. */
    public long addBatchedBranch(String xid, TestParticipant participant) {
        Response added = postUntilLeaderKnown("/v1/transactions/" + xid + "/branches", "{\"resource\":\""
                + participant.resource()
                + "\",\"confirmUrl\":\"" + participant.confirmUrl() + "\",\"cancelUrl\":\"" + participant.cancelUrl()
                + "\",\"batchUrl\":\"" + participant.batchUrl() + "\"}");
        if (added.status() != 201) {
            throw new AssertionError("add branch answered " + added.status() + ": " + added.raw().body());
        }
        return added.body().path("branchId").asLong();
    }

    /** Polls the transaction until {@code condition} holds (generous bound: the machine may be loaded). */
    public JsonNode awaitTransaction(String xid, Predicate<JsonNode> condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                Response response = get("/v1/transactions/" + xid);
                if (response.status() == 200) {
                    last = response.body();
                    if (condition.test(last)) {
                        return last;
                    }
                }
            } catch (RuntimeException unreachable) {
                // The node may be restarting; keep polling until the deadline.
            }
            sleep(50);
        }
        throw new AssertionError("transaction " + xid + " did not reach the expected state within " + within
                + "; last seen: " + last);
    }

    public JsonNode awaitStatus(String xid, String status, Duration within) {
        return awaitTransaction(xid, t -> status.equals(t.path("status").asString()), within);
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode body = response.body().isEmpty() || !type.contains("json") ? JSON.nullNode()
                    : JSON.readTree(response.body());
            return new Response(response.statusCode(), type, body, response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

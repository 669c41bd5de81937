package io.flotilla.tx.core;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link CoordinatorClient} over the coordinator's HTTP/JSON API, using the JDK's {@link HttpClient} so it works
 * without Spring.
 *
 * <p>With several coordinator addresses it sticks to the one that last answered and moves on when a node cannot
 * be reached or answers 5xx (a follower without a leader, a node shutting down). Idempotent calls (commit,
 * rollback, status) are retried on any I/O failure; begin and branch registration only when the request
 * provably never left ({@link ConnectException}), since a retried registration after a lost answer would leave
 * a phantom branch behind.
 */
public final class HttpCoordinatorClient implements CoordinatorClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<URI> addresses;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int attemptsPerCall;
    private final Duration pauseBetweenRounds;
    private final AtomicInteger preferred = new AtomicInteger();

    public HttpCoordinatorClient(List<URI> addresses, Duration connectTimeout, Duration requestTimeout) {
        this(addresses, connectTimeout, requestTimeout, Math.max(3, addresses.size() * 2), Duration.ofMillis(200));
    }

    public HttpCoordinatorClient(List<URI> addresses, Duration connectTimeout, Duration requestTimeout,
            int attemptsPerCall, Duration pauseBetweenRounds) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one coordinator address is needed");
        }
        this.addresses = List.copyOf(addresses);
        this.requestTimeout = Objects.requireNonNull(requestTimeout);
        this.attemptsPerCall = attemptsPerCall;
        this.pauseBetweenRounds = pauseBetweenRounds;
        this.http = HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    }

    public List<URI> addresses() {
        return addresses;
    }

    @Override
    public GlobalTransaction begin(TransactionMode mode, Duration timeout, String name) {
        ObjectNode body = JSON.createObjectNode().put("mode", mode.name()).put("timeoutMs", timeout.toMillis());
        if (name != null && !name.isBlank()) {
            body.put("name", name);
        }
        Answer answer = send("POST", "/v1/transactions", body, false);
        if (answer.status() != 201 && answer.status() != 200) {
            throw unexpected("begin", null, answer);
        }
        JsonNode json = answer.json();
        String xid = requiredText(json, "xid", "begin", answer);
        return new GlobalTransaction(xid, mode, parseStatus(json.path("status"), GlobalStatus.ACTIVE),
                parseInstant(json.path("timeoutAt")));
    }

    @Override
    public String registerBranch(String xid, BranchRegistration branch) {
        ObjectNode body = JSON.createObjectNode()
            .put("resource", branch.resource())
            .put("confirmUrl", branch.confirmUrl().toString())
            .put("cancelUrl", branch.cancelUrl().toString());
        Answer answer = send("POST", "/v1/transactions/" + encode(xid) + "/branches", body, false);
        return switch (answer.status()) {
            case 200, 201 -> requiredText(answer.json(), "branchId", "register a branch of " + xid, answer);
            case 404 -> throw new UnknownTransactionException(xid);
            case 409 -> throw new TransactionNotActiveException(xid, detail(answer));
            default -> throw unexpected("register a branch", xid, answer);
        };
    }

    @Override
    public GlobalStatus commit(String xid) {
        return decide(xid, "commit");
    }

    @Override
    public GlobalStatus rollback(String xid) {
        return decide(xid, "rollback");
    }

    private GlobalStatus decide(String xid, String action) {
        Answer answer = send("POST", "/v1/transactions/" + encode(xid) + "/" + action, null, true);
        return switch (answer.status()) {
            case 200, 201, 202 -> parseStatus(answer.json().path("status"), null);
            case 404 -> throw new UnknownTransactionException(xid);
            // A commit refused because the coordinator already rolled back (timeout) is an answer, not an error.
            case 409 -> {
                // The problem's own "status" is the HTTP status; the transaction's is "transactionStatus".
                JsonNode reported = answer.json().path("transactionStatus");
                if (reported.isString()) {
                    yield parseStatus(reported, null);
                }
                throw new TransactionNotActiveException(xid, detail(answer));
            }
            default -> throw unexpected(action, xid, answer);
        };
    }

    @Override
    public TransactionView status(String xid) {
        Answer answer = send("GET", "/v1/transactions/" + encode(xid), null, true);
        if (answer.status() == 404) {
            throw new UnknownTransactionException(xid);
        }
        if (answer.status() != 200) {
            throw unexpected("read", xid, answer);
        }
        JsonNode json = answer.json();
        List<BranchView> branches = new ArrayList<>();
        for (JsonNode branch : json.path("branches")) {
            branches.add(new BranchView(branch.path("branchId").asString(""), branch.path("resource").asString(""),
                    branch.path("status").asString(""), branch.path("attempts").asInt(0),
                    branch.path("lastError").isNull() ? null : branch.path("lastError").asString(null)));
        }
        return new TransactionView(xid, parseStatus(json.path("status"), null), branches);
    }

    private Answer send(String method, String path, JsonNode body, boolean idempotent) {
        CoordinatorException lastFailure = null;
        int start = preferred.get();
        for (int attempt = 0; attempt < attemptsPerCall; attempt++) {
            int index = (start + attempt) % addresses.size();
            if (attempt > 0 && index == start % addresses.size()) {
                pause();
            }
            URI uri = addresses.get(index).resolve(path);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 500) {
                    lastFailure = new CoordinatorException(method + " " + uri + " answered " + response.statusCode()
                            + ": " + abbreviate(response.body()));
                    continue;
                }
                preferred.set(index);
                return new Answer(response.statusCode(), response.body());
            } catch (ConnectException e) {
                lastFailure = new CoordinatorException("cannot connect to the coordinator at " + uri, e);
            } catch (HttpTimeoutException e) {
                if (!idempotent) {
                    throw new CoordinatorException(method + " " + uri + " timed out; its outcome is unknown", e);
                }
                lastFailure = new CoordinatorException(method + " " + uri + " timed out", e);
            } catch (IOException e) {
                if (!idempotent) {
                    throw new CoordinatorException(method + " " + uri + " failed after sending; its outcome is unknown", e);
                }
                lastFailure = new CoordinatorException(method + " " + uri + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinatorException("interrupted while calling the coordinator", e);
            }
        }
        throw lastFailure;
    }

    private void pause() {
        try {
            Thread.sleep(pauseBetweenRounds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorException("interrupted while waiting for a coordinator", e);
        }
    }

    private static String encode(String xid) {
        return URLEncoder.encode(xid, StandardCharsets.UTF_8);
    }

    private static String requiredText(JsonNode json, String field, String action, Answer answer) {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new CoordinatorException("the coordinator's answer to " + action + " has no " + field + ": "
                    + abbreviate(answer.body()));
        }
        return value.asString();
    }

    private static GlobalStatus parseStatus(JsonNode node, GlobalStatus fallback) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        try {
            return GlobalStatus.valueOf(node.asString());
        } catch (IllegalArgumentException e) {
            throw new CoordinatorException("unknown global status '" + node.asString() + "'");
        }
    }

    private static Instant parseInstant(JsonNode node) {
        if (node.isNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        if (node.isString()) {
            try {
                return Instant.parse(node.asString());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static String detail(Answer answer) {
        JsonNode detail = answer.json().path("detail");
        return detail.isMissingNode() ? abbreviate(answer.body()) : detail.asString();
    }

    private static CoordinatorException unexpected(String action, String xid, Answer answer) {
        return new CoordinatorException("the coordinator answered " + answer.status() + " to " + action
                + (xid == null ? "" : " " + xid) + ": " + abbreviate(answer.body()));
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }

    private record Answer(int status, String body) {

        JsonNode json() {
            if (body == null || body.isBlank()) {
                return JSON.createObjectNode();
            }
            try {
                return JSON.readTree(body);
            } catch (RuntimeException e) {
                return JSON.createObjectNode();
            }
        }
    }
}

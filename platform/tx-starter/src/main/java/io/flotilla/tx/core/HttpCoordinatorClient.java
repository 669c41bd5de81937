package io.flotilla.tx.core;

import io.flotilla.raft.client.ClusterUnavailableException;
import io.flotilla.raft.client.ContractJson;
import io.flotilla.raft.client.ContractViolationException;
import io.flotilla.raft.client.FailoverRequest;
import io.flotilla.raft.client.FailoverResponse;
import io.flotilla.raft.client.FailoverTransport;
import io.flotilla.raft.client.Repeat;
import io.flotilla.raft.client.WriteOutcome;
import io.flotilla.tx.api.BeginRequest;
import io.flotilla.tx.api.BeginResponse;
import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.BranchResponse;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.MessagePrepareRequest;
import io.flotilla.tx.api.StatusResponse;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TransactionView;
import io.flotilla.tx.api.TxProblemType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@link CoordinatorClient} over the coordinator's HTTP/JSON API, on the Spring-free {@link FailoverTransport} (keep-alive
 * HTTP/1.1 connections of its own), so it works without Spring and leaves the application's own HTTP clients alone.
 *
 * <p>With several coordinator addresses it sticks to the one that last answered and moves on when a node cannot be
 * reached or answers 503. Commit, rollback and status are idempotent and repeated after any failure. Begin and
 * branch registration are repeated only when the failed attempt provably was not applied (a refused connection, or
 * a 503 whose {@code outcome} is {@code not-applied}): a registration repeated after a lost answer would leave a
 * phantom branch behind. Otherwise they fail with {@link CoordinatorUnreachableException#outcomeUnknown()}.
 * Answers are bound strictly to the tx-api records: one that breaks the contract fails naming the field.
 */
public final class HttpCoordinatorClient implements CoordinatorClient {

    private final FailoverTransport transport;

    public HttpCoordinatorClient(List<URI> addresses, Duration connectTimeout, Duration requestTimeout) {
        this(addresses, connectTimeout, requestTimeout, Duration.ofSeconds(15));
    }

    /**
     * @param failoverTimeout how long one call keeps going round the nodes (an election ends well within it)
     */
    public HttpCoordinatorClient(List<URI> addresses, Duration connectTimeout, Duration requestTimeout,
            Duration failoverTimeout) {
        this(FailoverTransport.builder().service("coordinator").addresses(addresses).connectTimeout(connectTimeout)
            .requestTimeout(requestTimeout).failoverTimeout(failoverTimeout).build());
    }

    /** On a transport of its own (e.g. with TLS or an {@code Authorization} header). */
    public HttpCoordinatorClient(FailoverTransport transport) {
        this.transport = transport;
    }

    public List<URI> addresses() {
        return transport.addresses();
    }

    @Override
    public GlobalTransaction begin(TransactionMode mode, Duration timeout, String name) {
        BeginRequest request = new BeginRequest(mode.name(), timeout.toMillis(),
                name == null || name.isBlank() ? null : name);
        // Not repeated after an unknown outcome: a repeat would leave an orphan transaction behind until it times out.
        FailoverResponse response = send(FailoverRequest.json("POST", "/v1/transactions", ContractJson.write(request),
                Repeat.ONLY_IF_NOT_APPLIED));
        if (response.status() != 201) {
            throw unexpected("begin", null, response);
        }
        BeginResponse begun = read(response, BeginResponse.class, "begin");
        return new GlobalTransaction(begun.xid(), mode, begun.status(), begun.timeoutAt());
    }

    @Override
    public String prepareMessage(MessagePrepareRequest message) {
        FailoverResponse response = send(FailoverRequest.json("POST", "/v1/messages", ContractJson.write(message),
                Repeat.ONLY_IF_NOT_APPLIED));
        if (response.status() != 201) {
            throw unexpected("prepare a message", null, response);
        }
        return read(response, BeginResponse.class, "prepare a message").xid();
    }

    @Override
    public long registerBranch(String xid, BranchRequest branch) {
        FailoverResponse response = send(FailoverRequest.json("POST", "/v1/transactions/" + encode(xid) + "/branches",
                ContractJson.write(branch), Repeat.ONLY_IF_NOT_APPLIED));
        return switch (response.status()) {
            case 201 -> read(response, BranchResponse.class, "register a branch of " + xid).branchId();
            case 404 -> throw new UnknownTransactionException(xid);
            case 409 -> throw new TransactionNotActiveException(xid, detail(response));
            default -> throw unexpected("register a branch", xid, response);
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
        FailoverResponse response = send(FailoverRequest.of("POST", "/v1/transactions/" + encode(xid) + "/" + action,
                Repeat.IDEMPOTENT));
        return switch (response.status()) {
            case 200 -> read(response, StatusResponse.class, action + " " + xid).status();
            case 404 -> throw new UnknownTransactionException(xid);
            // A commit refused because the coordinator already rolled back (timeout) is an answer, not an error.
            case 409 -> conflictStatus(xid, action, response);
            default -> throw unexpected(action, xid, response);
        };
    }

    @Override
    public TransactionView status(String xid) {
        FailoverResponse response = send(FailoverRequest.of("GET", "/v1/transactions/" + encode(xid),
                Repeat.IDEMPOTENT));
        return switch (response.status()) {
            case 200 -> read(response, TransactionView.class, "read " + xid);
            case 404 -> throw new UnknownTransactionException(xid);
            default -> throw unexpected("read", xid, response);
        };
    }

    private FailoverResponse send(FailoverRequest request) {
        try {
            return transport.send(request);
        } catch (ClusterUnavailableException e) {
            throw new CoordinatorUnreachableException(e.getMessage(), e.outcome() == WriteOutcome.UNKNOWN, e);
        }
    }

    private static <T> T read(FailoverResponse response, Class<T> type, String action) {
        try {
            return ContractJson.read(response.body(), type, "the coordinator's answer to " + action);
        } catch (ContractViolationException e) {
            throw new CoordinatorException(e.getMessage(), e);
        }
    }

    /** The transaction's status from a 409 problem's {@value TxProblemType#TRANSACTION_STATUS_PROPERTY} member. */
    private static GlobalStatus conflictStatus(String xid, String action, FailoverResponse response) {
        JsonNode reported = problem(response).path(TxProblemType.TRANSACTION_STATUS_PROPERTY);
        if (reported.isMissingNode() || reported.isNull()) {
            throw new TransactionNotActiveException(xid, detail(response));
        }
        try {
            return GlobalStatus.valueOf(reported.asString());
        } catch (IllegalArgumentException e) {
            throw new CoordinatorException("the coordinator's 409 to " + action + " " + xid + " does not match the "
                    + "contract at field '" + TxProblemType.TRANSACTION_STATUS_PROPERTY + "': unknown status '"
                    + reported.asString() + "'", e);
        }
    }

    private static JsonNode problem(FailoverResponse response) {
        try {
            return ContractJson.mapper().readTree(response.body());
        } catch (JacksonException e) {
            return ContractJson.mapper().createObjectNode();
        }
    }

    private static String detail(FailoverResponse response) {
        JsonNode detail = problem(response).path("detail");
        return detail.isString() ? detail.asString() : abbreviate(response.bodyText());
    }

    private static String encode(String xid) {
        return URLEncoder.encode(xid, StandardCharsets.UTF_8);
    }

    private static CoordinatorException unexpected(String action, String xid, FailoverResponse response) {
        return new CoordinatorException("the coordinator at " + response.node() + " answered " + response.status()
                + " to " + action + (xid == null ? "" : " " + xid) + ": " + abbreviate(response.bodyText()));
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}

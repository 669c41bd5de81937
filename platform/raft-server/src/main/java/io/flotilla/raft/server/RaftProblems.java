package io.flotilla.raft.server;

import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.ProposalRefusedException;
import io.flotilla.raft.RaftException;
import io.flotilla.raft.client.RaftProblemType;
import io.flotilla.raft.client.WriteOutcome;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Maps cluster failures to RFC 9457 problem details for a service's {@code @RestControllerAdvice}: each is a 503
 * with {@code Retry-After}, a {@code type} from {@link RaftProblemType} and an {@code outcome} member
 * ({@link WriteOutcome}) that tells a client whether repeating a write is safe. Clients decide on those two
 * members, never on the English detail.
 */
public final class RaftProblems {

    private RaftProblems() {
    }

    /** The problem response for {@code failure} (unwrapped from completion wrappers), if it is a cluster failure. */
    public static Optional<ResponseEntity<ProblemDetail>> of(Throwable failure, Duration retryAfter) {
        return asUnavailable(failure).map(unavailable -> response(unavailable, retryAfter));
    }

    /**
     * {@code failure} as a {@link RaftUnavailableException}, if it is a cluster failure. Raft exceptions that did
     * not pass through {@link RaftServer#submit} (membership changes) are classified conservatively: their outcome
     * is unknown.
     */
    public static Optional<RaftUnavailableException> asUnavailable(Throwable failure) {
        Throwable cause = unwrap(failure);
        return Optional.ofNullable(switch (cause) {
            case RaftUnavailableException e -> e;
            case ProposalRefusedException e -> new RaftUnavailableException(e.reason() instanceof NotLeaderException
                    ? RaftProblemType.NOT_LEADER : RaftProblemType.NO_LEADER, WriteOutcome.NOT_APPLIED,
                    "the leader this node followed refused the write (" + e.reason().getMessage() + ")", e);
            case NotLeaderException e -> new RaftUnavailableException(RaftProblemType.NOT_LEADER, WriteOutcome.UNKNOWN,
                    "this node lost leadership while handling the request (leader now " + e.leaderId() + ")", e);
            case LeaderUnavailableException e -> new RaftUnavailableException(RaftProblemType.NO_LEADER,
                    WriteOutcome.UNKNOWN, "no Raft leader is known right now (election in progress): retry later", e);
            case TimeoutException e -> new RaftUnavailableException(RaftProblemType.TIMEOUT, WriteOutcome.UNKNOWN,
                    "the cluster did not answer in time (no quorum, or this node is behind): retry later", e);
            case RaftException e -> new RaftUnavailableException(RaftProblemType.NODE_STOPPED, WriteOutcome.UNKNOWN,
                    e.getMessage(), e);
            default -> null;
        });
    }

    /** The 503 for {@code unavailable}, with its type, title, detail, outcome and {@code Retry-After}. */
    public static ResponseEntity<ProblemDetail> response(RaftUnavailableException unavailable, Duration retryAfter) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail(unavailable));
        problem.setType(unavailable.type().uri());
        problem.setTitle(title(unavailable.type()));
        problem.setProperty(RaftProblemType.OUTCOME_PROPERTY, unavailable.outcome().wireName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)))
                .body(problem);
    }

    /** The detail clients show: what happened and, for an unknown outcome, that a write may have been applied. */
    static String detail(RaftUnavailableException unavailable) {
        return unavailable.outcome() == WriteOutcome.UNKNOWN
                ? unavailable.getMessage() + "; a write may or may not have been applied"
                : unavailable.getMessage() + "; nothing was applied";
    }

    static String title(RaftProblemType type) {
        return switch (type) {
            case NO_LEADER -> "No leader";
            case NOT_LEADER -> "Not the leader";
            case TIMEOUT -> "Timed out";
            case NODE_STOPPED -> "Node stopped";
            case LEADER_UNREACHABLE -> "Leader unreachable";
            case NOT_READY -> "Node not ready";
        };
    }

    static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

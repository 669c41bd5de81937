package io.flotilla.raft.server;

import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.RaftException;

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
 * Maps Raft failures to RFC 9457 problem details for a service's {@code @RestControllerAdvice}. Every one is a
 * 503 with {@code Retry-After}: no leader (an election), this node lost leadership while the request was in
 * flight, or the node is stopping. A write that failed this way after it was accepted has an unknown outcome;
 * the detail says so.
 */
public final class RaftProblems {

    private RaftProblems() {
    }

    /** The problem response for {@code failure} (unwrapped from completion wrappers), if it is a Raft failure. */
    public static Optional<ResponseEntity<ProblemDetail>> of(Throwable failure, Duration retryAfter) {
        Throwable cause = unwrap(failure);
        return switch (cause) {
            case NotLeaderException e -> Optional.of(unavailable("Not the leader",
                    "this node lost leadership while handling the request (leader now " + e.leaderId()
                            + "); a write may or may not have been applied: retry",
                    Duration.ofSeconds(1)));
            case LeaderUnavailableException e -> Optional.of(unavailable("No leader",
                    "no Raft leader is known right now (election in progress): retry later", retryAfter));
            case TimeoutException e -> Optional.of(unavailable("Timed out",
                    "the cluster did not answer in time (no quorum, or this node is behind): retry later",
                    retryAfter));
            case RaftException e -> Optional.of(unavailable("Raft node unavailable", e.getMessage(), retryAfter));
            default -> Optional.empty();
        };
    }

    /** A 503 problem with {@code Retry-After} in whole seconds (at least one). */
    public static ResponseEntity<ProblemDetail> unavailable(String title, String detail, Duration retryAfter) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle(title);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)))
                .body(problem);
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

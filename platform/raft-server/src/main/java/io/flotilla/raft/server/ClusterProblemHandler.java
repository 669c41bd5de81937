package io.flotilla.raft.server;

import io.flotilla.raft.RaftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Problem details for the kit's {@link ClusterController}: bad input 400, an unknown member 404, cluster failures
 * 503 ({@link RaftProblems}), Spring MVC's own errors (unreadable body, wrong method) as the base class answers
 * them, anything else 500 without internals. The services' own advices answer for their own controllers; this one
 * comes first, because theirs also catch {@code Exception} and would otherwise answer the cluster's errors.
 */
@RestControllerAdvice(assignableTypes = ClusterController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ClusterProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ClusterProblemHandler.class);

    private final RaftServer raft;

    public ClusterProblemHandler(RaftServer raft) {
        this.raft = raft;
    }

    @ExceptionHandler({IllegalArgumentException.class, ClusterController.MemberNotFoundException.class,
            RaftUnavailableException.class, CompletionException.class,
            RaftException.class, TimeoutException.class})
    ResponseEntity<ProblemDetail> handle(Exception exception) {
        Throwable cause = RaftProblems.unwrap(exception);
        if (cause instanceof IllegalArgumentException) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid request", cause.getMessage());
        }
        if (cause instanceof ClusterController.MemberNotFoundException) {
            return problem(HttpStatus.NOT_FOUND, "No such member", cause.getMessage());
        }
        return RaftProblems.of(cause, raft.retryAfter()).orElseGet(() -> {
            log.error("Cluster request failed", cause);
            return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the request failed unexpectedly");
        });
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.status(status).body(problem);
    }
}

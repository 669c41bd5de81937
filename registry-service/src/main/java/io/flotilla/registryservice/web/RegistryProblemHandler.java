package io.flotilla.registryservice.web;

import io.flotilla.raft.server.RaftProblems;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.registryservice.store.CommandRefusedException;
import io.flotilla.registryservice.store.InvalidRequestException;
import io.flotilla.registryservice.store.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.Optional;

/**
 * Every failure as RFC 9457 problem details: bad input 400 (nothing written), unknown instance, key or lease
 * 404, CAS mismatch 409, no leader / lost leadership / no quorum 503 with {@code Retry-After}, anything else
 * 500 without internals. Spring MVC's own exceptions (unreadable JSON, type mismatch, 405, ...) get problem
 * details from the base class.
 */
@RestControllerAdvice
public class RegistryProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RegistryProblemHandler.class);

    private final RaftServer raft;

    public RegistryProblemHandler(RaftServer raft) {
        this.raft = raft;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> failure(Exception exception) {
        Throwable cause = RaftProblems.unwrap(exception);
        Optional<ResponseEntity<ProblemDetail>> raftProblem = RaftProblems.of(cause, raft.retryAfter());
        if (raftProblem.isPresent()) {
            return raftProblem.get();
        }
        return switch (cause) {
            case InvalidRequestException e -> problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
            case IllegalArgumentException e -> problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
            case NotFoundException e -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .header(Blocking.INDEX_HEADER, Long.toString(e.index()))
                    .body(body(HttpStatus.NOT_FOUND, "Not found", e.getMessage()));
            case CommandRefusedException e -> switch (e.reason()) {
                case CAS_MISMATCH -> problem(HttpStatus.CONFLICT, "Version mismatch", e.getMessage());
                case UNKNOWN_LEASE -> problem(HttpStatus.NOT_FOUND, "Unknown lease", e.getMessage());
                case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
                case INVALID_INPUT -> problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
            };
            default -> {
                log.error("Unexpected failure", cause);
                yield problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                        "The request failed unexpectedly; the server log has the details");
            }
        };
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        return ResponseEntity.status(status).body(body(status, title, detail));
    }

    private static ProblemDetail body(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}

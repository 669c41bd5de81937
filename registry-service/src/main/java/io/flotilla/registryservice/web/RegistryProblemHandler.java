package io.flotilla.registryservice.web;

import io.flotilla.raft.server.RaftProblems;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.registry.api.RegistryProblemType;
import io.flotilla.registryservice.store.CommandRefusedException;
import io.flotilla.registryservice.store.InvalidRequestException;
import io.flotilla.registryservice.store.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.Optional;

import static io.flotilla.registry.api.RegistryProblemType.INVALID_REQUEST;
import static io.flotilla.registry.api.RegistryProblemType.NOT_FOUND;
import static io.flotilla.registry.api.RegistryProblemType.UNKNOWN_LEASE;
import static io.flotilla.registry.api.RegistryProblemType.VERSION_MISMATCH;

/**
 * Every failure as RFC 9457 problem details: bad input 400 (nothing written), unknown instance, key or lease
 * 404, CAS mismatch 409 (each with its {@link RegistryProblemType}), no leader / lost leadership / no quorum 503 with {@code Retry-After}, anything else
 * 500 without internals. Spring MVC's own exceptions (unreadable JSON, type mismatch, 405, ...) get problem
 * details from the base class.
 */
@RestControllerAdvice
public class RegistryProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RegistryProblemHandler.class);

    private static final URI ABOUT_BLANK = URI.create("about:blank");

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
            case InvalidRequestException e -> problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request",
                    e.getMessage());
            case IllegalArgumentException e -> problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request",
                    e.getMessage());
            case NotFoundException e -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .header(Blocking.INDEX_HEADER, Long.toString(e.index()))
                    .body(body(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", e.getMessage()));
            case CommandRefusedException e -> switch (e.reason()) {
                case CAS_MISMATCH -> problem(HttpStatus.CONFLICT, VERSION_MISMATCH, "Version mismatch",
                        e.getMessage());
                case UNKNOWN_LEASE -> problem(HttpStatus.NOT_FOUND, UNKNOWN_LEASE, "Unknown lease", e.getMessage());
                case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", e.getMessage());
                case INVALID_INPUT -> problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request",
                        e.getMessage());
            };
            default -> {
                log.error("Unexpected failure", cause);
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                        "The request failed unexpectedly; the server log has the details");
                problem.setTitle("Internal error");
                yield ResponseEntity.internalServerError().body(problem);
            }
        };
    }

    /** Spring MVC's own 400s (unreadable JSON, a parameter of the wrong type) carry the contract's type too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && statusCode.value() == HttpStatus.BAD_REQUEST.value()
                && (problem.getType() == null || ABOUT_BLANK.equals(problem.getType()))) {
            problem.setType(INVALID_REQUEST.uri());
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, RegistryProblemType type, String title,
            String detail) {
        return ResponseEntity.status(status).body(body(status, type, title, detail));
    }

    private static ProblemDetail body(HttpStatus status, RegistryProblemType type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type.uri());
        problem.setTitle(title);
        return problem;
    }
}

package io.flotilla.txcoordinator.transaction;

import io.flotilla.raft.client.RaftProblemType;
import io.flotilla.raft.client.WriteOutcome;
import io.flotilla.raft.server.RaftProblems;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.RaftUnavailableException;
import io.flotilla.tx.api.TxProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;

/**
 * Every failure as RFC 9457 problem details, each refusal with its {@link TxProblemType}: bad input 400, unknown transaction 404, a state that forbids the
 * request 409 (with the transaction's {@code transactionStatus}), no leader or a lost quorum 503 with Retry-After
 * ({@link RaftProblems}), anything unexpected 500 without internals.
 */
@RestControllerAdvice
public class TxProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(TxProblemHandler.class);

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private final RaftServer raft;

    public TxProblemHandler(RaftServer raft) {
        this.raft = raft;
    }

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException ex) {
        return problem(HttpStatus.BAD_REQUEST, TxProblemType.INVALID_REQUEST, "Invalid request", ex.getMessage());
    }

    @ExceptionHandler(TransactionNotFoundException.class)
    ProblemDetail notFound(TransactionNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, TxProblemType.TRANSACTION_NOT_FOUND, "Transaction not found",
                ex.getMessage());
    }

    @ExceptionHandler(TransactionConflictException.class)
    ProblemDetail conflict(TransactionConflictException ex) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, TxProblemType.TRANSACTION_CONFLICT,
                "Transaction state conflict", ex.getMessage());
        if (ex.status() != null) {
            problem.setProperty(TxProblemType.TRANSACTION_STATUS_PROPERTY, ex.status().name());
        }
        return problem;
    }

    @ExceptionHandler(CoordinatorUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(CoordinatorUnavailableException ex) {
        return RaftProblems.of(ex.getCause(), raft.retryAfter()).orElseGet(() -> {
            log.error("Transaction log failed", ex.getCause());
            return RaftProblems.response(new RaftUnavailableException(RaftProblemType.NODE_STOPPED,
                    WriteOutcome.UNKNOWN, "the transaction log failed", null), raft.retryAfter());
        });
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        log.error("Unexpected failure", ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request failed unexpectedly; the server log has the details");
        problem.setTitle("Internal error");
        return problem;
    }

    /** Spring MVC's own 400s (a parameter of the wrong type, ...) carry the contract's type too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && statusCode.value() == HttpStatus.BAD_REQUEST.value()
                && (problem.getType() == null || ABOUT_BLANK.equals(problem.getType()))) {
            problem.setType(TxProblemType.INVALID_REQUEST.uri());
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, TxProblemType.INVALID_REQUEST, "Malformed request body",
                "the body is not the expected JSON object");
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ProblemDetail problem(HttpStatus status, TxProblemType type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type.uri());
        problem.setTitle(title);
        return problem;
    }
}

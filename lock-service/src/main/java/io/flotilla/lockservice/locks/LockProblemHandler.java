package io.flotilla.lockservice.locks;

import io.flotilla.lock.core.LockBackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to RFC 9457 problem details: bad input 400 (nothing changed), a free lock 404, a lock held by
 * someone else or not held by the caller 409, an unreachable store 503, anything else 500 without internals.
 */
@RestControllerAdvice
public class LockProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(LockProblemHandler.class);

    @ExceptionHandler(InvalidLockRequestException.class)
    ProblemDetail invalid(InvalidLockRequestException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid lock request", ex.getMessage());
    }

    @ExceptionHandler(LockNotFoundException.class)
    ProblemDetail notFound(LockNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, "Lock not held", ex.getMessage());
    }

    @ExceptionHandler(LockConflictException.class)
    ProblemDetail conflict(LockConflictException ex) {
        return problem(HttpStatus.CONFLICT, "Lock conflict", ex.getMessage());
    }

    @ExceptionHandler(LockBackendException.class)
    ProblemDetail unavailable(LockBackendException ex) {
        log.warn("Lock store unavailable: {}", ex.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Lock store unavailable", ex.getMessage());
    }

    @ExceptionHandler(InterruptedException.class)
    ProblemDetail interrupted(InterruptedException ex) {
        Thread.currentThread().interrupt();
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down", "the service stopped while the request waited");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        log.error("Unexpected failure", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request failed unexpectedly; the server log has the details");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid lock request",
                "the body must be a JSON object such as {\"owner\":\"w1\",\"leaseMs\":30000,\"waitMs\":0}");
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid lock request",
                ex.getParameterName() + " is required");
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}

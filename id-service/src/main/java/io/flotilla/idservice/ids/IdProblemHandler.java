package io.flotilla.idservice.ids;


import io.flotilla.id.core.ClockMovedBackwardsException;
import io.flotilla.id.core.IdGenerationException;
import io.flotilla.id.core.InvalidIdException;
import io.flotilla.id.core.WorkerLeaseLostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to RFC 9457 problem details: bad input is a 400, a generator that cannot issue right now a 503
 * with Retry-After, anything unexpected a 500 without internals. Spring MVC's own exceptions (404, 405, ...) get
 * problem details from the base class.
 */
@RestControllerAdvice
public class IdProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(IdProblemHandler.class);

    @ExceptionHandler(InvalidBatchSizeException.class)
    ProblemDetail invalidBatchSize(InvalidBatchSizeException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid batch size", ex.getMessage());
    }

    @ExceptionHandler(InvalidIdException.class)
    ProblemDetail invalidId(InvalidIdException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid id", ex.getMessage());
    }

    @ExceptionHandler(ClockMovedBackwardsException.class)
    ResponseEntity<ProblemDetail> clockMovedBackwards(ClockMovedBackwardsException ex) {
        log.warn("Refused to issue ids: {}", ex.getMessage());
        return unavailable("Clock moved backwards", ex);
    }

    @ExceptionHandler(WorkerLeaseLostException.class)
    ResponseEntity<ProblemDetail> workerLeaseLost(WorkerLeaseLostException ex) {
        log.warn("Refused to issue ids: {}", ex.getMessage());
        return unavailable("No worker lease", ex);
    }

    @ExceptionHandler(IdGenerationException.class)
    ResponseEntity<ProblemDetail> cannotIssue(IdGenerationException ex) {
        log.error("Cannot issue ids: {}", ex.getMessage());
        return unavailable("Cannot issue ids", ex);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        log.error("Unexpected failure", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request failed unexpectedly; the server log has the details");
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
                : ex.getPropertyName();
        String detail = "id".equals(name)
                ? "id must be a non-negative decimal integer of at most 19 digits, got '" + ex.getValue() + "'"
                : name + " must be an integer between 1 and " + IdController.MAX_BATCH + ", got '" + ex.getValue()
                        + "'";
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Invalid " + name, detail);
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Missing " + ex.getParameterName(),
                ex.getParameterName() + " is required: an integer between 1 and " + IdController.MAX_BATCH);
        return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ResponseEntity<ProblemDetail> unavailable(String title, IdGenerationException ex) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
        ex.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        return response.body(problem(HttpStatus.SERVICE_UNAVAILABLE, title, ex.getMessage()));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}

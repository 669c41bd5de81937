package io.flotilla.inventory;

import java.util.stream.Collectors;

import io.flotilla.inventory.product.ProductNotFoundException;
import io.flotilla.inventory.stock.GlobalTransactionRequiredException;
import io.flotilla.inventory.stock.InsufficientStockException;
import io.flotilla.tx.tcc.TccTryRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to RFC 9457 problem details: unknown product 404, a stock move refused by the stock or by its
 * transaction's history 409, bad input (including a stock move outside a global transaction) 400, anything
 * unexpected 500 without internals.
 */
@RestControllerAdvice
public class InventoryProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(InventoryProblemHandler.class);

    @ExceptionHandler(ProductNotFoundException.class)
    ProblemDetail notFound(ProductNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage());
    }

    @ExceptionHandler(GlobalTransactionRequiredException.class)
    ProblemDetail noGlobalTransaction(GlobalTransactionRequiredException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Global transaction required", ex.getMessage());
    }

    @ExceptionHandler(InsufficientStockException.class)
    ProblemDetail insufficientStock(InsufficientStockException ex) {
        return problem(HttpStatus.CONFLICT, "Insufficient stock", ex.getMessage());
    }

    /** The branch was already cancelled (its transaction rolled back) before this try arrived. */
    @ExceptionHandler(TccTryRefusedException.class)
    ProblemDetail tryRefused(TccTryRefusedException ex) {
        return problem(HttpStatus.CONFLICT, "Transaction already rolled back", ex.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        log.error("Unexpected failure", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request failed unexpectedly; the server log has the details");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getBindingResult()
            .getFieldErrors()
            .stream()
            .map(InventoryProblemHandler::describe)
            .collect(Collectors.joining("; "));
        return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, "Invalid request", detail), headers,
                HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getParameterValidationResults()
            .stream()
            .map(InventoryProblemHandler::describe)
            .collect(Collectors.joining("; "));
        return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, "Invalid request", detail), headers,
                HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "The body must be a JSON object with the documented fields"), headers, HttpStatus.BAD_REQUEST,
                request);
    }

    /** A body's field errors one by one; a path variable by its name. */
    private static String describe(ParameterValidationResult result) {
        if (result instanceof ParameterErrors errors) {
            return errors.getFieldErrors().stream().map(InventoryProblemHandler::describe).collect(Collectors.joining("; "));
        }
        return result.getMethodParameter().getParameterName() + " "
                + result.getResolvableErrors().getFirst().getDefaultMessage() + " (got '" + result.getArgument() + "')";
    }

    private static String describe(FieldError error) {
        return error.getField() + " " + error.getDefaultMessage() + " (got " + error.getRejectedValue() + ")";
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}

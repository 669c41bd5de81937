package io.flotilla.order;

import java.util.stream.Collectors;

import io.flotilla.order.cart.CartItemNotFoundException;
import io.flotilla.order.cart.CheckoutCancelledException;
import io.flotilla.order.cart.EmptyCartException;
import io.flotilla.order.cart.InvalidCartException;
import io.flotilla.order.order.IdempotencyKeyBusyException;
import io.flotilla.order.order.IdempotencyKeyReusedException;
import io.flotilla.order.order.InvalidOrderException;
import io.flotilla.order.order.InventoryUnavailableException;
import io.flotilla.order.order.OrderCancelledException;
import io.flotilla.order.order.OrderInProgressException;
import io.flotilla.order.order.OrderNotFoundException;
import io.flotilla.id.core.IdGenerationException;
import io.flotilla.lock.core.LockBackendException;
import io.flotilla.registry.client.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to RFC 9457 problem details: bad input 400 (nothing recorded), unknown order 404, a cancelled
 * order 409 (with its id), a reused Idempotency-Key 422, an empty or wholly cancelled cart checkout 409, a product
 * not in the cart 404, an order whose outcome is still open or that cannot get an id yet 503 with Retry-After,
 * anything unexpected 500 without internals.
 */
@RestControllerAdvice
public class OrderProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OrderProblemHandler.class);

    @ExceptionHandler(InvalidOrderException.class)
    ProblemDetail invalidOrder(InvalidOrderException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid order", ex.getMessage());
    }

    @ExceptionHandler(OrderNotFoundException.class)
    ProblemDetail notFound(OrderNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage());
    }

    @ExceptionHandler(OrderCancelledException.class)
    ResponseEntity<ProblemDetail> cancelled(OrderCancelledException ex) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Order cancelled", ex.getMessage());
        problem.setProperty("orderId", Long.toString(ex.order().orderId()));
        problem.setProperty("status", ex.order().status().name());
        return ResponseEntity.status(HttpStatus.CONFLICT)
            .header("Idempotent-Replayed", Boolean.toString(ex.replayed()))
            .body(problem);
    }

    @ExceptionHandler(InvalidCartException.class)
    ProblemDetail invalidCart(InvalidCartException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid cart item", ex.getMessage());
    }

    @ExceptionHandler(CartItemNotFoundException.class)
    ProblemDetail notInCart(CartItemNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, "Not in the cart", ex.getMessage());
    }

    @ExceptionHandler(EmptyCartException.class)
    ProblemDetail emptyCart(EmptyCartException ex) {
        return problem(HttpStatus.CONFLICT, "Cart empty", ex.getMessage());
    }

    @ExceptionHandler(CheckoutCancelledException.class)
    ProblemDetail checkoutCancelled(CheckoutCancelledException ex) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Checkout cancelled", ex.getMessage());
        problem.setProperty("orders", ex.orders());
        return problem;
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ProblemDetail keyReused(IdempotencyKeyReusedException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused", ex.getMessage());
        problem.setProperty("orderId", Long.toString(ex.orderId()));
        return problem;
    }

    @ExceptionHandler(OrderInProgressException.class)
    ResponseEntity<ProblemDetail> inProgress(OrderInProgressException ex) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Order in progress", ex.getMessage());
        problem.setProperty("orderId", Long.toString(ex.orderId()));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    @ExceptionHandler(IdempotencyKeyBusyException.class)
    ResponseEntity<ProblemDetail> keyBusy(IdempotencyKeyBusyException ex) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, "1")
            .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Order in progress", ex.getMessage()));
    }

    @ExceptionHandler(InventoryUnavailableException.class)
    ResponseEntity<ProblemDetail> inventoryUnavailable(InventoryUnavailableException ex) {
        log.warn("inventory-service unavailable: {}", ex.getCause().toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, "1")
            .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Inventory unavailable", ex.getMessage()));
    }

    /**
     * No order id can be issued right now (the snowflake worker lease was lost and is being leased again, or the
     * clock stepped back): the order was not recorded, so the same request may be sent again as it is.
     */
    @ExceptionHandler(IdGenerationException.class)
    ResponseEntity<ProblemDetail> noOrderId(IdGenerationException ex) {
        log.warn("no order id: {}", ex.getMessage());
        long seconds = ex.retryAfterSeconds().orElse(1);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
            .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Order ids unavailable",
                "No order id can be issued right now; nothing was recorded, send the request again"));
    }

    /**
     * The registry (which holds the worker-id lease, and the Idempotency-Key locks with the registry lock backend)
     * did not answer, typically while it elects a new leader. Sending the same Idempotency-Key again is safe either way: if the order was placed
     * before the failure (say the lock's release failed), the key returns that order's answer.
     */
    @ExceptionHandler({LockBackendException.class, RegistryUnavailableException.class})
    ResponseEntity<ProblemDetail> registryUnavailable(RuntimeException ex) {
        log.warn("registry unavailable: {}", ex.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, "1")
            .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Registry unavailable",
                "The registry did not answer (it may be electing a leader); send the request again with the same Idempotency-Key"));
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
            .map(error -> error.getField() + " " + error.getDefaultMessage() + " (got " + error.getRejectedValue() + ")")
            .sorted()
            .collect(Collectors.joining("; "));
        return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, cart(request) ? "Invalid cart request"
                : "Invalid order", detail), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = cart(request)
                ? problem(HttpStatus.BAD_REQUEST, "Invalid cart request",
                        "The body must be a JSON object: {quantity} for an item, {userId, mode} for a checkout (mode TCC or XA)")
                : problem(HttpStatus.BAD_REQUEST, "Invalid order",
                        "The body must be a JSON object {userId, sku, quantity, mode} with mode TCC or XA");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, "Invalid order id",
                "orderId must be a decimal integer, got '" + ex.getValue() + "'"), headers, HttpStatus.BAD_REQUEST,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, "Missing " + ex.getParameterName(),
                ex.getParameterName() + " is required"), headers, HttpStatus.BAD_REQUEST, request);
    }

    private static boolean cart(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                && servlet.getRequest().getRequestURI().startsWith("/api/cart");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}

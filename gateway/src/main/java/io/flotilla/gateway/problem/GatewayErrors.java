package io.flotilla.gateway.problem;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Maps what can go wrong inside the gateway to problem details with a clear message and no internals:
 * open breaker 503, upstream timeout 504, unreachable upstream 503, an upstream error status counted by the
 * breaker as that status, no route 404, anything else 500.
 */
public final class GatewayErrors {

    private GatewayErrors() {
    }

    /** Problem describing {@code error} for the request of {@code exchange}. */
    public static ProblemDetail toProblem(ServerWebExchange exchange, Throwable error) {
        Throwable cause = rootOf(error);
        if (hasInChain(error, CallNotPermittedException.class)) {
            return ProblemResponses.problem(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Circuit breaker open",
                    "The upstream service of this route is failing; the gateway is not sending requests to it for now. Try again later.");
        }
        if (hasInChain(error, BulkheadFullException.class)) {
            return ProblemResponses.problem(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Too many concurrent requests",
                    "The route's concurrency limit is reached. Try again later.");
        }
        if (hasInChain(error, TimeoutException.class)) {
            return ProblemResponses.problem(exchange, HttpStatus.GATEWAY_TIMEOUT, "Upstream timeout",
                    "The upstream service did not answer in time.");
        }
        if (hasInChain(error, ConnectException.class) || cause instanceof java.io.IOException) {
            return ProblemResponses.problem(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Upstream unavailable",
                    "No instance of the upstream service could be reached.");
        }
        if (error instanceof HttpStatusCodeException upstream) {
            // the CircuitBreaker filter's statusCodes turned an upstream error status into a failure
            HttpStatus status = HttpStatus.resolve(upstream.getStatusCode().value());
            return ProblemResponses.problem(exchange, status != null ? status : HttpStatus.BAD_GATEWAY, "Upstream error",
                    "The upstream service answered " + upstream.getStatusCode().value() + ".");
        }
        if (error instanceof ResponseStatusException statusException) {
            return fromStatus(exchange, statusException.getStatusCode(), statusException.getReason());
        }
        return ProblemResponses.problem(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "Gateway error",
                "The gateway could not process the request.");
    }

    private static ProblemDetail fromStatus(ServerWebExchange exchange, HttpStatusCode code, String reason) {
        HttpStatus status = HttpStatus.resolve(code.value());
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        if (status == HttpStatus.NOT_FOUND) {
            return ProblemResponses.problem(exchange, status, "No route",
                    "No route matches " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath() + ".");
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            return ProblemResponses.problem(exchange, status, "Service unavailable",
                    reason != null ? reason : "No instance of the upstream service is available.");
        }
        return ProblemResponses.problem(exchange, status, status.getReasonPhrase(),
                status.is5xxServerError() ? "The gateway could not process the request." : reason);
    }

    private static boolean hasInChain(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootOf(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}

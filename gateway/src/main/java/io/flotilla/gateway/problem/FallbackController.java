package io.flotilla.gateway.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Target of the routes' circuit-breaker {@code fallbackUri} ({@code forward:/fallback/<route>}): answers
 * with the problem matching why the call failed (breaker open 503, timeout 504, upstream unreachable 503).
 */
@RestController
public class FallbackController {

    private static final Logger LOGGER = LoggerFactory.getLogger(FallbackController.class);

    @RequestMapping("/fallback/{route}")
    ResponseEntity<ProblemDetail> fallback(@PathVariable String route, ServerWebExchange exchange) {
        Throwable error = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        ProblemDetail problem = error != null ? GatewayErrors.toProblem(exchange, error)
                : ProblemResponses.problem(exchange, org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                        "Service unavailable", "The upstream service is unavailable.");
        problem.setProperty("route", route);
        LOGGER.debug("Route {} answered {} from its fallback", route, problem.getStatus(), error);
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

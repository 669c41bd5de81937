package io.flotilla.gateway.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Renders every error the gateway raises itself (no route, no instance, open breaker, timeout, anything
 * unexpected) as problem details, ahead of Spring Boot's default handler, so no stack trace or internal
 * message reaches the client.
 */
@Component
@Order(-2)
public class ProblemDetailsExceptionHandler implements WebExceptionHandler {

    private static final Logger LOGGER = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);

    private final ProblemResponses responses;

    public ProblemDetailsExceptionHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        ProblemDetail problem = GatewayErrors.toProblem(exchange, error);
        if (problem.getStatus() >= 500) {
            LOGGER.warn("{} {} failed with {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    problem.getStatus(), error);
        }
        return responses.write(exchange, problem);
    }
}

package io.flotilla.gateway.resilience;

import io.flotilla.gateway.FlotillaGatewayProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configures the Resilience4j circuit breakers behind Gateway's {@code CircuitBreaker} filter from
 * {@code flotilla.gateway.circuit-breaker} (and {@code flotilla.gateway.circuit-breakers.<name>}): a
 * count-based window, and a time limiter that fails a call through the route with a timeout.
 */
@Configuration(proxyBeanMethods = false)
public class CircuitBreakerConfiguration {

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> flotillaCircuitBreakers(FlotillaGatewayProperties properties) {
        return factory -> {
            factory.configureDefault(id -> build(id, properties.getCircuitBreaker()));
            properties.getCircuitBreakers()
                .forEach((name, settings) -> factory.configure(builder -> builder
                    .circuitBreakerConfig(circuitBreakerConfig(settings))
                    .timeLimiterConfig(timeLimiterConfig(settings)), name));
        };
    }

    private static Resilience4JConfigBuilder.Resilience4JCircuitBreakerConfiguration build(String id,
            FlotillaGatewayProperties.CircuitBreaker settings) {
        return new Resilience4JConfigBuilder(id).circuitBreakerConfig(circuitBreakerConfig(settings))
            .timeLimiterConfig(timeLimiterConfig(settings))
            .build();
    }

    private static CircuitBreakerConfig circuitBreakerConfig(FlotillaGatewayProperties.CircuitBreaker settings) {
        return CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.getSlidingWindowSize())
            .minimumNumberOfCalls(settings.getMinimumNumberOfCalls())
            .failureRateThreshold(settings.getFailureRateThreshold())
            .waitDurationInOpenState(settings.getWaitDurationInOpenState())
            .permittedNumberOfCallsInHalfOpenState(settings.getPermittedNumberOfCallsInHalfOpenState())
            .build();
    }

    private static TimeLimiterConfig timeLimiterConfig(FlotillaGatewayProperties.CircuitBreaker settings) {
        return TimeLimiterConfig.custom().timeoutDuration(settings.getTimeout()).cancelRunningFuture(true).build();
    }
}

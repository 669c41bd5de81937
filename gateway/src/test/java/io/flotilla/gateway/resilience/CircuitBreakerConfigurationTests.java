package io.flotilla.gateway.resilience;

import java.time.Duration;

import io.flotilla.gateway.FlotillaGatewayProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JAutoConfiguration;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class, TimeLimiterAutoConfiguration.class,
                ReactiveResilience4JAutoConfiguration.class))
        .withUserConfiguration(Setup.class)
        .withPropertyValues("spring.cloud.circuitbreaker.bulkhead.resilience4j.enabled=false");

    @Test
    void breakersUseTheDefaultsAndPerNameOverrides() {
        runner.withPropertyValues("flotilla.gateway.circuit-breaker.sliding-window-size=8",
                "flotilla.gateway.circuit-breaker.minimum-number-of-calls=4",
                "flotilla.gateway.circuit-breaker.timeout=3s",
                "flotilla.gateway.circuit-breakers.order-service.sliding-window-size=40",
                "flotilla.gateway.circuit-breakers.order-service.timeout=1s")
            .run(context -> {
                ReactiveResilience4JCircuitBreakerFactory factory = context.getBean(ReactiveResilience4JCircuitBreakerFactory.class);
                factory.create("order-service").run(Mono.just("ok")).block();
                factory.create("inventory-service").run(Mono.just("ok")).block();
                CircuitBreakerConfig orders = factory.getCircuitBreakerRegistry().circuitBreaker("order-service")
                    .getCircuitBreakerConfig();
                CircuitBreakerConfig inventory = factory.getCircuitBreakerRegistry().circuitBreaker("inventory-service")
                    .getCircuitBreakerConfig();
                assertThat(orders.getSlidingWindowSize()).isEqualTo(40);
                assertThat(inventory.getSlidingWindowSize()).isEqualTo(8);
                assertThat(inventory.getMinimumNumberOfCalls()).isEqualTo(4);
                assertThat(factory.getTimeLimiterRegistry().timeLimiter("order-service").getTimeLimiterConfig()
                    .getTimeoutDuration()).isEqualTo(Duration.ofSeconds(1));
                assertThat(factory.getTimeLimiterRegistry().timeLimiter("inventory-service").getTimeLimiterConfig()
                    .getTimeoutDuration()).isEqualTo(Duration.ofSeconds(3));
            });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(FlotillaGatewayProperties.class)
    @Import(CircuitBreakerConfiguration.class)
    static class Setup {
    }
}

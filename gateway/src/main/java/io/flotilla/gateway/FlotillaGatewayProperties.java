package io.flotilla.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Gateway resilience defaults: the circuit breaker (with its time limiter) of every route, optionally
 * overridden per breaker name, and the limits of the {@code LocalRateLimit} filter when a route gives none.
 */
@ConfigurationProperties("flotilla.gateway")
public class FlotillaGatewayProperties {

    /** Circuit breaker and time limiter applied to every breaker without its own entry. */
    private CircuitBreaker circuitBreaker = new CircuitBreaker();

    /** Circuit breaker settings per breaker name (the {@code name} argument of a route's CircuitBreaker filter). */
    private Map<String, CircuitBreaker> circuitBreakers = new LinkedHashMap<>();

    /** Limits of {@code LocalRateLimit} filters that do not set their own. */
    private RateLimit rateLimit = new RateLimit();

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
        this.circuitBreaker = circuitBreaker;
    }

    public Map<String, CircuitBreaker> getCircuitBreakers() {
        return circuitBreakers;
    }

    public void setCircuitBreakers(Map<String, CircuitBreaker> circuitBreakers) {
        this.circuitBreakers = circuitBreakers;
    }

    public RateLimit getRateLimit() {
        return rateLimit;
    }

    public void setRateLimit(RateLimit rateLimit) {
        this.rateLimit = rateLimit;
    }

    /** Resilience4j circuit breaker and time limiter of a route. */
    public static class CircuitBreaker {

        /** Failure percentage at or above which the breaker opens. */
        private float failureRateThreshold = 50;

        /** Number of most recent calls the failure rate is computed over. */
        private int slidingWindowSize = 20;

        /** Calls needed in the window before the failure rate is evaluated. */
        private int minimumNumberOfCalls = 10;

        /** How long an open breaker rejects calls before letting trial calls through. */
        private Duration waitDurationInOpenState = Duration.ofSeconds(10);

        /** Trial calls allowed while half-open. */
        private int permittedNumberOfCallsInHalfOpenState = 5;

        /** Longest a call through the route may take, retries included, before it fails with 504. */
        private Duration timeout = Duration.ofSeconds(5);

        public float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public int getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(int slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public int getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public Duration getWaitDurationInOpenState() {
            return waitDurationInOpenState;
        }

        public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
            this.waitDurationInOpenState = waitDurationInOpenState;
        }

        public int getPermittedNumberOfCallsInHalfOpenState() {
            return permittedNumberOfCallsInHalfOpenState;
        }

        public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
            this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** Default limits of the LocalRateLimit filter. */
    public static class RateLimit {

        /** Requests allowed per refresh period, per route (or per route and client address). */
        private int limitForPeriod = 500;

        /** Period after which the allowance is refilled. */
        private Duration refreshPeriod = Duration.ofSeconds(1);

        /** Whether each client address gets its own allowance instead of sharing the route's. */
        private boolean perClient = false;

        public int getLimitForPeriod() {
            return limitForPeriod;
        }

        public void setLimitForPeriod(int limitForPeriod) {
            this.limitForPeriod = limitForPeriod;
        }

        public Duration getRefreshPeriod() {
            return refreshPeriod;
        }

        public void setRefreshPeriod(Duration refreshPeriod) {
            this.refreshPeriod = refreshPeriod;
        }

        public boolean isPerClient() {
            return perClient;
        }

        public void setPerClient(boolean perClient) {
            this.perClient = perClient;
        }
    }
}

package io.flotilla.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.flotilla.gateway.FlotillaGatewayProperties;
import io.flotilla.gateway.problem.ProblemResponses;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code LocalRateLimit} route filter: a Resilience4j {@link RateLimiter} per route (or per route and
 * client address with {@code perClient}) in this gateway's memory. A request over the limit gets 429
 * problem details with {@code Retry-After} in seconds until the next refill. Limits not set on the route
 * come from {@code flotilla.gateway.rate-limit}.
 * <pre>
 * filters:
 *   - name: LocalRateLimit
 *     args: { limitForPeriod: 100, refreshPeriod: 1s, perClient: true }
 * </pre>
 * The client address is the TCP peer, not {@code X-Forwarded-For}, which clients could forge to dodge the
 * limit.
 */
@Component
public class LocalRateLimitGatewayFilterFactory extends AbstractGatewayFilterFactory<LocalRateLimitGatewayFilterFactory.Config> {

    private final FlotillaGatewayProperties properties;
    private final RateLimiterRegistry registry;
    private final ProblemResponses responses;

    public LocalRateLimitGatewayFilterFactory(FlotillaGatewayProperties properties, ProblemResponses responses) {
        super(Config.class);
        this.properties = properties;
        this.responses = responses;
        this.registry = RateLimiterRegistry.ofDefaults();
    }

    @Override
    public GatewayFilter apply(Config config) {
        FlotillaGatewayProperties.RateLimit defaults = properties.getRateLimit();
        RateLimiterConfig limiterConfig = RateLimiterConfig.custom()
            .limitForPeriod(config.limitForPeriod != null ? config.limitForPeriod : defaults.getLimitForPeriod())
            .limitRefreshPeriod(config.refreshPeriod != null ? config.refreshPeriod : defaults.getRefreshPeriod())
            .timeoutDuration(Duration.ZERO)
            .build();
        boolean perClient = config.perClient != null ? config.perClient : defaults.isPerClient();
        return (exchange, chain) -> {
            RateLimiter limiter = registry.rateLimiter(limiterName(exchange, perClient), limiterConfig);
            if (limiter.acquirePermission()) {
                return chain.filter(exchange);
            }
            long retryAfterSeconds = Math.max(1, (nanosToWait(limiter, limiterConfig) + 999_999_999L) / 1_000_000_000L);
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
            ProblemDetail problem = ProblemResponses.problem(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "Rate limit of " + limiterConfig.getLimitForPeriod() + " requests per "
                            + limiterConfig.getLimitRefreshPeriod() + " exceeded; retry after " + retryAfterSeconds + " s.");
            return responses.write(exchange, problem);
        };
    }

    private static String limiterName(ServerWebExchange exchange, boolean perClient) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String routeId = route != null ? route.getId() : "unrouted";
        if (!perClient) {
            return routeId;
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        String client = remote == null ? "unknown"
                : remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return routeId + '|' + client;
    }

    private static long nanosToWait(RateLimiter limiter, RateLimiterConfig config) {
        if (limiter instanceof AtomicRateLimiter atomic) {
            long nanos = atomic.getDetailedMetrics().getNanosToWait();
            if (nanos > 0) {
                return nanos;
            }
        }
        return config.getLimitRefreshPeriod().toNanos();
    }

    /** Arguments of one route's LocalRateLimit filter; unset ones take the defaults. */
    public static class Config {

        private Integer limitForPeriod;
        private Duration refreshPeriod;
        private Boolean perClient;

        public Integer getLimitForPeriod() {
            return limitForPeriod;
        }

        public void setLimitForPeriod(Integer limitForPeriod) {
            this.limitForPeriod = limitForPeriod;
        }

        public Duration getRefreshPeriod() {
            return refreshPeriod;
        }

        public void setRefreshPeriod(Duration refreshPeriod) {
            this.refreshPeriod = refreshPeriod;
        }

        public Boolean getPerClient() {
            return perClient;
        }

        public void setPerClient(Boolean perClient) {
            this.perClient = perClient;
        }
    }
}

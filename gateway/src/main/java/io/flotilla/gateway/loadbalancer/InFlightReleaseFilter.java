package io.flotilla.gateway.loadbalancer;

import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.support.InstanceKeys;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;

/**
 * Gateway's load-balancer filter reports a request's completion to the {@code LoadBalancerLifecycle}s on
 * success and error but not on cancellation, which is how a circuit-breaker timeout or a client hanging up
 * ends it. Without this filter such requests would stay counted as in flight forever and skew
 * least-connections and P2C. Runs once per attempt (after the Retry filter), just before the load balancer.
 */
@Component
public class InFlightReleaseFilter implements GlobalFilter, Ordered {

    private final InFlightCounters counters;

    public InFlightReleaseFilter(InFlightCounters counters) {
        this.counters = counters;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        exchange.getAttributes().remove(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
        return chain.filter(exchange).doFinally(signal -> {
            if (signal == SignalType.CANCEL) {
                Response<ServiceInstance> response = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
                if (response != null && response.hasServer()) {
                    counters.finished(InstanceKeys.of(response.getServer()));
                }
            }
        });
    }

    @Override
    public int getOrder() {
        return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;
    }
}

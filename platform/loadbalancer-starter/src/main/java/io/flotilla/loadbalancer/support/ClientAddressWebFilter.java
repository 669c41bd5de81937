package io.flotilla.loadbalancer.support;

import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Stores the remote address of each WebFlux request under {@link RequestKeys#CLIENT_ADDRESS_ATTRIBUTE}:
 * Spring Cloud Gateway passes the exchange attributes into the load-balancer request, which otherwise
 * carries no remote address for {@code ip-hash} and {@code consistent-hash}.
 */
public class ClientAddressWebFilter implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote != null) {
            exchange.getAttributes().put(RequestKeys.CLIENT_ADDRESS_ATTRIBUTE, remote.getAddress() != null
                    ? remote.getAddress().getHostAddress() : remote.getHostString());
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}

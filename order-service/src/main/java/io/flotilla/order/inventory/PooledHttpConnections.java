package io.flotilla.order.inventory;

import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The connection pool of this service's outbound HTTP calls (those to inventory-service). They go through Apache
 * HttpClient, which is on the class path so that Spring Boot builds the clients on it: against the JDK's
 * {@code HttpClient} it took the CPU an order costs order-service from 2.8–3.8 ms to 2.2–2.6 ms (the demo shop
 * benchmark on H2, docs/benchmarks.md). Its pool allows 5 connections per host unless told otherwise; an inventory
 * call that waits (an XA deduction behind a prepared branch keeps its connection up to the read timeout) would then
 * hold up every other order's call to that instance, so the pool allows as many as an instance's Tomcat serves at
 * once by default.
 */
@Configuration(proxyBeanMethods = false)
class PooledHttpConnections {

    /** Tomcat's default {@code server.tomcat.threads.max}: an inventory-service instance serves no more at once. */
    static final int MAX_PER_INSTANCE = 200;

    @Bean
    ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> connectionPoolPerHost() {
        return builder -> builder.withConnectionManagerCustomizer(pool -> pool
                .setMaxConnPerRoute(MAX_PER_INSTANCE)
                .setMaxConnTotal(2 * MAX_PER_INSTANCE));
    }
}

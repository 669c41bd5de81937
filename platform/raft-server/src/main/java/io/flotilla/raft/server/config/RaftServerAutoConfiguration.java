package io.flotilla.raft.server.config;

import io.flotilla.raft.LeadershipListener;
import io.flotilla.raft.server.BearerTokenFilter;
import io.flotilla.raft.server.ClusterController;
import io.flotilla.raft.server.ClusterProblemHandler;
import io.flotilla.raft.server.LeaderForwardingFilter;
import io.flotilla.raft.server.LeaderLocalRequests;
import io.flotilla.raft.server.MemberUrlPublisher;
import io.flotilla.raft.server.RaftHealthIndicator;
import io.flotilla.raft.server.RaftLivenessWatcher;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.RaftServerProperties;
import io.flotilla.raft.server.RaftServerTasks;
import io.flotilla.raft.server.RaftService;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.servlet.filter.OrderedFilter;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.time.Duration;

/**
 * The whole edge of a Raft-backed service, from one {@link RaftService} bean and one {@link RaftServerProperties}
 * bean: the node and its lifecycle (its Raft port on mutual TLS from the SSL bundle {@code <prefix>.ssl-bundle}), every {@link LeadershipListener} bean registered on it, the address each member
 * publishes, {@code /v1/cluster} with membership change, the bearer token and leader forwarding of linearizable reads
 * and {@link LeaderLocalRequests} on {@code /v1/*} (other writes are proposed from any node over the Raft transport),
 * the {@code raft} health indicator (in the readiness group) and liveness after a fail-stop.
 */
@AutoConfiguration(afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnBean(RaftService.class)
public class RaftServerAutoConfiguration {

    /**
     * Filters run in this order: the token first (before anything is forwarded), then forwarding, then a service's
     * {@code HotPathFilter} (flotilla-web-hot-path), so its calls are still authenticated and forwarded. All three
     * come after the filters every call must pass (character encoding, the {@code http.server.requests}
     * observation, the body limit and parameter checks, at or next to the highest precedence) and before Spring's
     * request wrappers ({@code FormContentFilter} at {@code REQUEST_WRAPPER_FILTER_MAX_ORDER - 9900},
     * {@code RequestContextFilter} at {@code - 105}), which only Spring MVC's handlers use: a forwarded call is
     * relayed with its body untouched, and a hot-path call does not pay for them (they were 5 % of the
     * coordinator's CPU for an empty transaction; docs/benchmarks.md, "Issues #15 and #19, fifth pass").
     */
    static final int TOKEN_FILTER_ORDER = OrderedFilter.REQUEST_WRAPPER_FILTER_MAX_ORDER - 10_000;
    static final int FORWARDING_FILTER_ORDER = TOKEN_FILTER_ORDER + 1;
    public static final int HOT_PATH_FILTER_ORDER = TOKEN_FILTER_ORDER + 2;

    /** Membership changes are configuration entries, which only the leader appends: always forwarded. */
    static final LeaderLocalRequests MEMBERSHIP_CHANGES = LeaderLocalRequests.matching("POST", "/v1/cluster/members")
            .or(LeaderLocalRequests.matching("DELETE", "/v1/cluster/members/{id}"));

    /** The SSL bundle named by {@code <prefix>.ssl-bundle}, resolved once: the Raft port's TLS and the kit's HTTP clients'. */
    @Bean
    RaftServerSsl raftServerSsl(RaftServerProperties properties, RaftService service,
                                ObjectProvider<SslBundles> sslBundles) {
        return RaftServerSsl.resolve(properties, service, sslBundles.getIfAvailable());
    }

    @Bean
    RaftServer raftServer(RaftServerProperties properties, RaftService service, ObjectProvider<MeterRegistry> meters,
                          RaftServerSsl raftServerSsl) {
        return new RaftServer(properties, service, meters.getIfAvailable(), raftServerSsl.transportTls());
    }

    /** Listeners are added once every singleton exists and before the node starts, so none misses an election. */
    @Bean
    SmartInitializingSingleton raftLeadershipListeners(RaftServer raftServer,
                                                      ObjectProvider<LeadershipListener> listeners) {
        return () -> listeners.orderedStream().forEach(raftServer::addLeadershipListener);
    }

    @Bean
    RaftServerTasks raftServerTasks() {
        return new RaftServerTasks();
    }

    @Bean
    MemberUrlPublisher memberUrlPublisher(RaftServer raftServer, RaftServerSsl raftServerSsl) {
        return new MemberUrlPublisher(raftServer, raftServerSsl.clientContext());
    }

    /**
     * Once the main web server listens, this node knows its HTTP address and starts publishing it:
     * {@code https://} when the server speaks TLS ({@code server.ssl}).
     */
    @Bean
    ApplicationListener<WebServerInitializedEvent> raftAddressAdvertiser(RaftServer raftServer,
                                                                        MemberUrlPublisher publisher,
                                                                        RaftServerTasks raftServerTasks,
                                                                        ObjectProvider<ServerProperties> server) {
        return event -> {
            if (event.getApplicationContext().getServerNamespace() == null) {
                ServerProperties serverProperties = server.getIfAvailable();
                boolean https = serverProperties != null && Ssl.isEnabled(serverProperties.getSsl());
                raftServer.advertiseHttpPort(event.getWebServer().getPort(), https);
                publisher.start(raftServerTasks);
            }
        };
    }

    @Bean
    RaftLivenessWatcher raftLivenessWatcher(RaftServer raftServer, ApplicationAvailability availability,
                                            ApplicationEventPublisher events, RaftServerTasks raftServerTasks) {
        RaftLivenessWatcher watcher = new RaftLivenessWatcher(raftServer, availability, events);
        raftServerTasks.every(Duration.ofMillis(500), Duration.ofMillis(500), watcher);
        return watcher;
    }

    @Bean("raft")
    RaftHealthIndicator raftHealthIndicator(RaftServer raftServer) {
        return new RaftHealthIndicator(raftServer);
    }

    /**
     * Runs after Spring Boot's own post-processor has added the probe groups: same order, registered later (this
     * auto-configuration comes after Boot's probes).
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    HealthEndpointGroupsPostProcessor raftReadinessGroup() {
        return new RaftReadinessGroup();
    }

    @Bean
    ClusterController raftClusterController(RaftServer raftServer) {
        return new ClusterController(raftServer);
    }

    @Bean
    ClusterProblemHandler raftClusterProblemHandler(RaftServer raftServer) {
        return new ClusterProblemHandler(raftServer);
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> raftTokenFilter(RaftServerProperties properties, RaftService service) {
        FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(new BearerTokenFilter(
                properties.getToken(), "flotilla-" + service.name(), service.propertyPrefix() + ".token"));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(TOKEN_FILTER_ORDER);
        return registration;
    }

    /**
     * A follower relays linearizable reads and the service's {@link LeaderLocalRequests} to the leader; it handles
     * every other write itself (proposing its command over the Raft transport), and stale reads and this node's
     * view stay local.
     */
    @Bean
    FilterRegistrationBean<LeaderForwardingFilter> raftLeaderForwardingFilter(RaftServer raftServer,
                                                                               RaftServerProperties properties,
                                                                               RaftServerSsl raftServerSsl,
                                                                               ObjectProvider<LeaderLocalRequests> leaderLocal) {
        FilterRegistrationBean<LeaderForwardingFilter> registration = new FilterRegistrationBean<>(
                new LeaderForwardingFilter(raftServer, LeaderForwardingFilter.leaderOnly("/v1/",
                        leaderLocal.orderedStream().reduce(MEMBERSHIP_CHANGES, LeaderLocalRequests::or),
                        "/v1/cluster", "/v1/cluster/members"), properties.getForwardTimeout(),
                        raftServerSsl.clientContext()));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(FORWARDING_FILTER_ORDER);
        return registration;
    }
}

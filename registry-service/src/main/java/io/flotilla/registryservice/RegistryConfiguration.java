package io.flotilla.registryservice;

import io.flotilla.raft.server.LeaderForwardingFilter;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.RaftServerProperties;
import io.flotilla.registryservice.health.HealthChecker;
import io.flotilla.registryservice.lease.LeaseExpiryScheduler;
import io.flotilla.registryservice.lease.LeaseTimers;
import io.flotilla.registryservice.state.RegistryStateMachine;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.store.ChangeListeners;
import io.flotilla.registryservice.store.ChangeNotifier;
import io.flotilla.registryservice.store.RegistryStore;
import io.flotilla.registryservice.web.TokenFilter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Wires the state machine, its Raft node, the leader's lease timers and the HTTP filters. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    @ConfigurationProperties("flotilla.registry")
    RaftServerProperties registryRaftProperties() {
        return new RaftServerProperties();
    }

    @Bean
    ChangeNotifier changeNotifier() {
        return new ChangeNotifier();
    }

    @Bean
    LeaseTimers leaseTimers(ObjectProvider<RegistryStore> store) {
        return new LeaseTimers(() -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()),
                leaseIds -> store.getObject().write(new RegistryCommand.ExpireLeases(leaseIds)));
    }

    @Bean
    HealthChecker healthChecker(RegistryProperties properties) {
        return new HealthChecker(properties.getHealthCheckInterval(), properties.getHealthCheckTimeout());
    }

    @Bean
    RegistryStateMachine registryStateMachine(ChangeNotifier notifier, LeaseTimers leaseTimers,
                                              HealthChecker healthChecker) {
        return new RegistryStateMachine(new ChangeListeners(List.of(leaseTimers, healthChecker, notifier)));
    }

    @Bean
    RaftServer raftServer(RaftServerProperties properties, RegistryStateMachine stateMachine,
                          LeaseTimers leaseTimers, @Value("${server.port:8500}") int serverPort,
                          ObjectProvider<MeterRegistry> meters) {
        RaftServer server = new RaftServer(properties, "registry", stateMachine, serverPort, meters.getIfAvailable());
        server.addLeadershipListener(leaseTimers);
        meters.ifAvailable(registry -> Gauge.builder("flotilla.registry.leases", leaseTimers, LeaseTimers::size)
                .description("Leases this node tracks").register(registry));
        return server;
    }

    @Bean
    RegistryStore registryStore(RaftServer raftServer, ChangeNotifier notifier) {
        return new RegistryStore(raftServer, notifier);
    }

    @Bean
    LeaseExpiryScheduler leaseExpiryScheduler(LeaseTimers leaseTimers, RegistryProperties properties) {
        return new LeaseExpiryScheduler(leaseTimers, properties.getLeaseCheckInterval());
    }

    @Bean
    FilterRegistrationBean<TokenFilter> tokenFilter(RegistryProperties properties) {
        FilterRegistrationBean<TokenFilter> registration = new FilterRegistrationBean<>(
                new TokenFilter(properties.getToken()));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(1);
        return registration;
    }

    /** Forwarded blocking queries may wait {@code max-wait}; the forward allows a minute more. */
    @Bean
    FilterRegistrationBean<LeaderForwardingFilter> leaderForwardingFilter(RaftServer raftServer,
                                                                           RegistryProperties properties) {
        FilterRegistrationBean<LeaderForwardingFilter> registration = new FilterRegistrationBean<>(
                new LeaderForwardingFilter(raftServer,
                        LeaderForwardingFilter.writesAndLinearizableReads("/v1/", "/v1/cluster", "/v1/cluster/members"),
                        properties.getMaxWait().plus(Duration.ofMinutes(1))));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(2);
        return registration;
    }
}

package io.flotilla.registryservice;

import io.flotilla.raft.server.LeaderLocalRequests;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.RaftServerProperties;
import io.flotilla.raft.server.RaftService;
import io.flotilla.registryservice.health.HealthChecker;
import io.flotilla.registryservice.lease.LeaseExpiryScheduler;
import io.flotilla.registryservice.lease.LeaseTimers;
import io.flotilla.registryservice.state.RegistryStateMachine;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.store.ChangeListeners;
import io.flotilla.registryservice.store.ChangeNotifier;
import io.flotilla.registryservice.store.RegistryStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wires the state machine, the leader's lease timers and health checks; the Raft node and the whole HTTP edge around
 * it (cluster endpoints, forwarding, token, health) come from the kit in platform/raft-server.
 */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    /** The node's Raft settings under flotilla.registry.server; forwarded blocking queries may wait max-wait (10 min). */
    @Bean
    @ConfigurationProperties(RegistryProperties.PREFIX)
    RaftServerProperties registryRaftProperties() {
        RaftServerProperties properties = new RaftServerProperties();
        properties.setForwardTimeout(Duration.ofMinutes(11));
        return properties;
    }

    @Bean
    RaftService registryRaftService(RegistryStateMachine stateMachine) {
        return new RaftService("registry", RegistryProperties.PREFIX, stateMachine);
    }

    @Bean
    ChangeNotifier changeNotifier() {
        return new ChangeNotifier();
    }

    /** Leader-local lease timers; the kit registers them for leadership changes (they are a LeadershipListener). */
    @Bean
    LeaseTimers leaseTimers(ObjectProvider<RegistryStore> store, ObjectProvider<MeterRegistry> meters) {
        LeaseTimers timers = new LeaseTimers(() -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()),
                leaseIds -> store.getObject().writeAtLeader(new RegistryCommand.ExpireLeases(leaseIds)));
        meters.ifAvailable(registry -> Gauge.builder("flotilla.registry.leases", timers, LeaseTimers::size)
                .description("Leases this node tracks").register(registry));
        return timers;
    }

    /**
     * Writes a follower cannot handle itself: registration renews an instance's existing lease, heartbeats and
     * keep-alives move lease deadlines, and those live in the leader's memory. They are forwarded to the leader;
     * every other write is proposed from the node that received it.
     */
    @Bean
    LeaderLocalRequests registryLeaderLocalRequests() {
        return LeaderLocalRequests.matching("POST", "/v1/services/{service}/instances")
                .or(LeaderLocalRequests.matching("PUT", "/v1/services/{service}/instances/{instanceId}/heartbeat",
                        "/v1/leases/{leaseId}/keepalive"));
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
    RegistryStore registryStore(RaftServer raftServer, ChangeNotifier notifier) {
        return new RegistryStore(raftServer, notifier);
    }

    @Bean
    LeaseExpiryScheduler leaseExpiryScheduler(LeaseTimers leaseTimers, RegistryProperties properties) {
        return new LeaseExpiryScheduler(leaseTimers, properties.getLeaseCheckInterval());
    }
}

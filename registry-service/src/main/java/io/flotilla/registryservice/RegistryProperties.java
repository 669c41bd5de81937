package io.flotilla.registryservice;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Service settings under {@code flotilla.registry.server}. The Raft settings of the node (node-id, raft-port, peers,
 * data-dir, token, ...) share the prefix and are bound into {@link io.flotilla.raft.server.RaftServerProperties}.
 * The client starter's settings are {@code flotilla.registry.*} in the applications that use it.
 */
@ConfigurationProperties(RegistryProperties.PREFIX)
public class RegistryProperties {

    /** Prefix of the registry server's own settings. */
    public static final String PREFIX = "flotilla.registry.server";

    /** TTL of an instance registered without ttlSeconds. */
    private Duration defaultTtl = Duration.ofSeconds(30);

    /** Longest TTL a lease or instance may ask for. */
    private Duration maxTtl = Duration.ofDays(1);

    /** Wait of a blocking query that names an index but no wait. */
    private Duration defaultWait = Duration.ofMinutes(5);

    /** Longest wait a blocking query may ask for. */
    private Duration maxWait = Duration.ofMinutes(10);

    /** How often the leader looks for expired leases. */
    private Duration leaseCheckInterval = Duration.ofMillis(100);

    /** How often the leader probes instances that carry metadata.healthCheckUrl. */
    private Duration healthCheckInterval = Duration.ofSeconds(5);

    /** Timeout of one health probe. */
    private Duration healthCheckTimeout = Duration.ofSeconds(2);

    public Duration getDefaultTtl() {
        return defaultTtl;
    }

    public void setDefaultTtl(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    public Duration getMaxTtl() {
        return maxTtl;
    }

    public void setMaxTtl(Duration maxTtl) {
        this.maxTtl = maxTtl;
    }

    public Duration getDefaultWait() {
        return defaultWait;
    }

    public void setDefaultWait(Duration defaultWait) {
        this.defaultWait = defaultWait;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public Duration getLeaseCheckInterval() {
        return leaseCheckInterval;
    }

    public void setLeaseCheckInterval(Duration leaseCheckInterval) {
        this.leaseCheckInterval = leaseCheckInterval;
    }

    public Duration getHealthCheckInterval() {
        return healthCheckInterval;
    }

    public void setHealthCheckInterval(Duration healthCheckInterval) {
        this.healthCheckInterval = healthCheckInterval;
    }

    public Duration getHealthCheckTimeout() {
        return healthCheckTimeout;
    }

    public void setHealthCheckTimeout(Duration healthCheckTimeout) {
        this.healthCheckTimeout = healthCheckTimeout;
    }
}

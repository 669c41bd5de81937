package io.flotilla.lock.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Distributed locks, under {@code flotilla.lock}.
 */
@ConfigurationProperties("flotilla.lock")
public class LockProperties {

    /**
     * Where locks live: redis (one server), redlock (a majority of independent servers), registry (the registry's
     * consistent core, FIFO; needs flotilla-registry-spring-boot-starter), jdbc (a table in the application's
     * DataSource, see flotilla.lock.jdbc).
     */
    private Backend backend = Backend.REDIS;

    /**
     * Lease of locks taken without a lease time; a watchdog renews it every third while the holding thread lives.
     */
    private Duration lease = Duration.ofSeconds(30);

    /**
     * Wait time of @Locked methods that do not set waitMs.
     */
    private Duration defaultWait = Duration.ofSeconds(10);

    /**
     * Prefix of every Redis key and channel the locks use.
     */
    private String keyPrefix = "flotilla:lock:";

    /**
     * Whether @Locked methods are wrapped in their lock.
     */
    private boolean annotationEnabled = true;

    private final Redis redis = new Redis();

    private final Redlock redlock = new Redlock();

    private final Registry registry = new Registry();

    /** Lock stores. */
    public enum Backend {
        /** One Redis server. */
        REDIS,
        /** RedLock over independent Redis servers. */
        REDLOCK,
        /** Sequential keys with session leases on the Flotilla registry. */
        REGISTRY,
        /** A row per lock in the application's relational database (flotilla.lock.jdbc). */
        JDBC
    }

    /** The single-server backend. */
    public static class Redis {

        /**
         * Redis server URI of a client of the backend's own; deprecated: set spring.data.redis.* instead, whose
         * connection factory the backend then uses.
         */
        private String uri;

        /**
         * Longest a single Redis command may take.
         */
        private Duration commandTimeout = Duration.ofSeconds(3);

        @Deprecated(since = "0.1.0")
        @DeprecatedConfigurationProperty(replacement = "spring.data.redis.url",
                reason = "The backend uses the application's Spring Data Redis connection factory")
        public String getUri() {
            return uri;
        }

        @Deprecated(since = "0.1.0")
        public void setUri(String uri) {
            this.uri = uri;
        }

        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }
    }

    /** The RedLock backend. */
    public static class Redlock {

        /**
         * URIs of the independent Redis servers (not replicas of each other); at least 3, best an odd number.
         */
        private List<String> uris = new ArrayList<>();

        /**
         * Longest one server may take to answer before it counts as failed; keep it small next to the lease.
         */
        private Duration nodeTimeout = Duration.ofMillis(200);

        public List<String> getUris() {
            return uris;
        }

        public void setUris(List<String> uris) {
            this.uris = uris;
        }

        public Duration getNodeTimeout() {
            return nodeTimeout;
        }

        public void setNodeTimeout(Duration nodeTimeout) {
            this.nodeTimeout = nodeTimeout;
        }
    }

    /** The registry backend. */
    public static class Registry {

        /**
         * Registry KV prefix under which each lock gets a directory of sequential keys.
         */
        private String keyPrefix = "flotilla/locks/";

        /**
         * TTL of this process's session lease, which all its lock keys hang on: how long the locks of a process that
         * died stay taken, at most. Whole seconds.
         */
        private Duration sessionTtl = Duration.ofSeconds(10);

        /**
         * Whether each acquisition gets its own lease of the requested length instead of the shared session (for
         * services that hold locks on behalf of remote owners).
         */
        private boolean leasePerAcquisition = false;

        public Duration getSessionTtl() {
            return sessionTtl;
        }

        public void setSessionTtl(Duration sessionTtl) {
            this.sessionTtl = sessionTtl;
        }

        public boolean isLeasePerAcquisition() {
            return leasePerAcquisition;
        }

        public void setLeasePerAcquisition(boolean leasePerAcquisition) {
            this.leasePerAcquisition = leasePerAcquisition;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }

    public Backend getBackend() {
        return backend;
    }

    public void setBackend(Backend backend) {
        this.backend = backend;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public Duration getDefaultWait() {
        return defaultWait;
    }

    public void setDefaultWait(Duration defaultWait) {
        this.defaultWait = defaultWait;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public boolean isAnnotationEnabled() {
        return annotationEnabled;
    }

    public void setAnnotationEnabled(boolean annotationEnabled) {
        this.annotationEnabled = annotationEnabled;
    }

    public Redis getRedis() {
        return redis;
    }

    public Redlock getRedlock() {
        return redlock;
    }

    public Registry getRegistry() {
        return registry;
    }
}

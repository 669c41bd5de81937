package io.flotilla.loadbalancer.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.flotilla.loadbalancer.core.Algorithm;
import io.flotilla.loadbalancer.core.ConsistentHash;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Load-balancing settings: one default algorithm and per-service overrides under
 * {@code flotilla.loadbalancer.services.<serviceId>}.
 */
@ConfigurationProperties("flotilla.loadbalancer")
public class FlotillaLoadBalancerProperties {

    /** Whether Flotilla's load balancers replace Spring Cloud's round robin for every service. */
    private boolean enabled = true;

    /** Algorithm for services without their own setting. */
    private Algorithm defaultAlgorithm = Algorithm.ROUND_ROBIN;

    /** Virtual nodes per instance on consistent-hash rings, unless a service sets its own. */
    private int virtualNodes = ConsistentHash.DEFAULT_VIRTUAL_NODES;

    /** Per-service settings, keyed by service id. */
    private Map<String, Service> services = new LinkedHashMap<>();

    /** Passive health checks: instances failing request after request are taken out of rotation for a while. */
    private OutlierDetection outlierDetection = new OutlierDetection();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Algorithm getDefaultAlgorithm() {
        return defaultAlgorithm;
    }

    public void setDefaultAlgorithm(Algorithm defaultAlgorithm) {
        this.defaultAlgorithm = defaultAlgorithm;
    }

    public int getVirtualNodes() {
        return virtualNodes;
    }

    public void setVirtualNodes(int virtualNodes) {
        this.virtualNodes = virtualNodes;
    }

    public Map<String, Service> getServices() {
        return services;
    }

    public void setServices(Map<String, Service> services) {
        this.services = services;
    }

    public OutlierDetection getOutlierDetection() {
        return outlierDetection;
    }

    public void setOutlierDetection(OutlierDetection outlierDetection) {
        this.outlierDetection = outlierDetection;
    }

    /** Settings of {@code serviceId}, merged with the defaults. */
    public Resolved resolve(String serviceId) {
        Service service = services.getOrDefault(serviceId, new Service());
        return new Resolved(service.getAlgorithm() != null ? service.getAlgorithm() : defaultAlgorithm,
                service.getVirtualNodes() != null ? service.getVirtualNodes() : virtualNodes,
                service.getHashHeader(), service.getHashCookie());
    }

    /**
     * Effective settings of one service.
     * @param algorithm algorithm choosing the instance
     * @param virtualNodes virtual nodes per instance for consistent hashing
     * @param hashHeader request header holding the hashing key, or null
     * @param hashCookie cookie holding the hashing key, or null
     */
    public record Resolved(Algorithm algorithm, int virtualNodes, String hashHeader, String hashCookie) {
    }

    /** Settings of one service. */
    public static class Service {

        /** Algorithm for this service; the default algorithm when unset. */
        private Algorithm algorithm;

        /** Request header whose value is the consistent-hash key (falls back to the client address). */
        private String hashHeader;

        /** Cookie whose value is the consistent-hash key when the header is absent (falls back to the client address). */
        private String hashCookie;

        /** Virtual nodes per instance on this service's consistent-hash ring. */
        private Integer virtualNodes;

        public Algorithm getAlgorithm() {
            return algorithm;
        }

        public void setAlgorithm(Algorithm algorithm) {
            this.algorithm = algorithm;
        }

        public String getHashHeader() {
            return hashHeader;
        }

        public void setHashHeader(String hashHeader) {
            this.hashHeader = hashHeader;
        }

        public String getHashCookie() {
            return hashCookie;
        }

        public void setHashCookie(String hashCookie) {
            this.hashCookie = hashCookie;
        }

        public Integer getVirtualNodes() {
            return virtualNodes;
        }

        public void setVirtualNodes(Integer virtualNodes) {
            this.virtualNodes = virtualNodes;
        }
    }

    /** Per-instance circuit breaker fed by the outcome of every load-balanced request. */
    public static class OutlierDetection {

        /** Whether instances that keep failing are ejected from load balancing. */
        private boolean enabled = true;

        /** Failed requests in a row (no connection, timeout, 5xx answer) that eject an instance. */
        private int consecutiveFailures = 5;

        /** How long an ejected instance gets no traffic before it is tried again. */
        private Duration ejectionDuration = Duration.ofSeconds(30);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getConsecutiveFailures() {
            return consecutiveFailures;
        }

        public void setConsecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
        }

        public Duration getEjectionDuration() {
            return ejectionDuration;
        }

        public void setEjectionDuration(Duration ejectionDuration) {
            this.ejectionDuration = ejectionDuration;
        }
    }
}

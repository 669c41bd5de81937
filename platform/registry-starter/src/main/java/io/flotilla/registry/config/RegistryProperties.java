package io.flotilla.registry.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Client side of the Flotilla registry, under {@code flotilla.registry}. The registry service binds its own
 * node settings under the same prefix ({@code node-id}, {@code raft-port}, {@code peers}, {@code data-dir});
 * {@code token} means the same on both sides: the bearer token writes need.
 */
@ConfigurationProperties("flotilla.registry")
public class RegistryProperties {

    /**
     * Whether the registry client, discovery, registration and worker-id leasing are on at all.
     */
    private boolean enabled = true;

    /**
     * Registry nodes, tried in order until one answers (fail-over on refused connections and 503s).
     */
    private List<URI> addresses = new ArrayList<>(List.of(URI.create("http://127.0.0.1:8500")));

    /**
     * Bearer token sent with every request; must match the registry's flotilla.registry.server.token when it sets one.
     */
    private String token;

    /**
     * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) for https:// registry nodes: its trust store holds the
     * CA of their certificates, its key store (optional) the certificate to present when they require one.
     */
    private String sslBundle;

    /**
     * Longest wait for a TCP connection to one registry node before trying the next.
     */
    private Duration connectTimeout = Duration.ofSeconds(2);

    /**
     * Longest wait for one node's answer; blocking queries add their watch wait.
     */
    private Duration requestTimeout = Duration.ofSeconds(10);

    /**
     * How long one call keeps going round the registry nodes before it fails (covers a leader election).
     */
    private Duration failoverTimeout = Duration.ofSeconds(15);

    /**
     * Service name to register under; defaults to spring.application.name.
     */
    private String serviceName;

    /**
     * Instance id, unique within the service; defaults to service-host-port.
     */
    private String instanceId;

    /**
     * Host other services call; defaults to the first non-loopback address Spring Cloud finds.
     */
    private String host;

    /**
     * Port other services call; 0 takes the web server's port.
     */
    private int port;

    /**
     * Whether other services call this one over TLS.
     */
    private boolean secure;

    /**
     * Zone of this instance, published as metadata zone.
     */
    private String zone = "";

    /**
     * Load-balancing weight of this instance (1..10000), published as metadata weight.
     */
    private int weight = 1;

    /**
     * Version of this instance, published as metadata version when set.
     */
    private String version;

    /**
     * Further metadata to register (healthCheckUrl enables the registry's active health check).
     */
    private Map<String, String> metadata = new LinkedHashMap<>();

    /**
     * Time without a heartbeat after which the registry drops this instance; whole seconds.
     */
    private Duration ttl = Duration.ofSeconds(30);

    /**
     * Time between heartbeats; keep it well under the TTL.
     */
    private Duration heartbeatInterval = Duration.ofSeconds(10);

    /**
     * Longest time the registry holds a discovery watch's blocking query before answering unchanged.
     */
    private Duration watchWait = Duration.ofSeconds(30);

    /**
     * How long the first lookup of a service waits for the registry's first answer.
     */
    private Duration initialLoadTimeout = Duration.ofSeconds(5);

    private final Discovery discovery = new Discovery();

    private final Registration registration = new Registration();

    private final Id id = new Id();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<URI> getAddresses() {
        return this.addresses;
    }

    public void setAddresses(List<URI> addresses) {
        this.addresses = addresses;
    }

    public String getToken() {
        return this.token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getSslBundle() {
        return this.sslBundle;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getRequestTimeout() {
        return this.requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getFailoverTimeout() {
        return this.failoverTimeout;
    }

    public void setFailoverTimeout(Duration failoverTimeout) {
        this.failoverTimeout = failoverTimeout;
    }

    public String getServiceName() {
        return this.serviceName;
    }

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public String getInstanceId() {
        return this.instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getHost() {
        return this.host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return this.port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public boolean isSecure() {
        return this.secure;
    }

    public void setSecure(boolean secure) {
        this.secure = secure;
    }

    public String getZone() {
        return this.zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public int getWeight() {
        return this.weight;
    }

    public void setWeight(int weight) {
        this.weight = weight;
    }

    public String getVersion() {
        return this.version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public Map<String, String> getMetadata() {
        return this.metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }

    public Duration getTtl() {
        return this.ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public Duration getHeartbeatInterval() {
        return this.heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getWatchWait() {
        return this.watchWait;
    }

    public void setWatchWait(Duration watchWait) {
        this.watchWait = watchWait;
    }

    public Duration getInitialLoadTimeout() {
        return this.initialLoadTimeout;
    }

    public void setInitialLoadTimeout(Duration initialLoadTimeout) {
        this.initialLoadTimeout = initialLoadTimeout;
    }

    public Discovery getDiscovery() {
        return this.discovery;
    }

    public Registration getRegistration() {
        return this.registration;
    }

    public Id getId() {
        return this.id;
    }

    /** Discovery through the registry. */
    public static class Discovery {

        /**
         * Whether DiscoveryClient and ReactiveDiscoveryClient beans answer from the registry.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Registration of this application. */
    public static class Registration {

        /**
         * Whether this application registers itself once its web server listens.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Worker ids for the flotilla id starter, leased from the registry. */
    public static class Id {

        /**
         * Whether the id generator leases its worker id from the registry (else flotilla.id.worker-id applies).
         */
        private boolean enabled = true;

        /**
         * Prefix of the worker slot keys (keys are paths without a leading slash); a slot key is prefix + datacenter id + "/" + worker id.
         */
        private String keyPrefix = "flotilla/id/workers/";

        /**
         * TTL of the worker slot lease; the generator stops issuing within it when the registry is unreachable.
         */
        private Duration leaseTtl = Duration.ofSeconds(10);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getKeyPrefix() {
            return this.keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getLeaseTtl() {
            return this.leaseTtl;
        }

        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }
    }
}

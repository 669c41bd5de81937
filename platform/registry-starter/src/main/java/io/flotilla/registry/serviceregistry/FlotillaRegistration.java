package io.flotilla.registry.serviceregistry;

import io.flotilla.registry.client.InstanceSpec;
import io.flotilla.registry.discovery.FlotillaServiceInstance;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * This application's entry in the registry. The port may be unknown (0) until the web server has started; the
 * instance id, when not configured, is then derived as {@code <service>-<host>-<port>}. The status lives in the
 * metadata under {@code status}, where the load balancer reads it.
 */
public class FlotillaRegistration implements Registration {

    private final String serviceId;

    private final String configuredInstanceId;

    private final String host;

    private final boolean secure;

    private final String zone;

    private final int weight;

    private final Duration ttl;

    private final Map<String, String> metadata;

    private volatile int port;

    /**
     * @param serviceId service name
     * @param instanceId configured instance id, or {@code null} to derive one
     * @param host host others call
     * @param port port others call, 0 until the web server knows it
     * @param secure whether others call it over TLS
     * @param metadata metadata to register ({@code version} among them, when configured)
     * @param zone zone, or empty
     * @param weight load-balancing weight
     * @param ttl how long the registry keeps the instance without a heartbeat
     */
    public FlotillaRegistration(String serviceId, String instanceId, String host, int port, boolean secure,
            Map<String, String> metadata, String zone, int weight, Duration ttl) {
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.configuredInstanceId = instanceId == null || instanceId.isBlank() ? null : instanceId;
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.secure = secure;
        this.metadata = Collections.synchronizedMap(new LinkedHashMap<>(metadata));
        this.metadata.putIfAbsent(FlotillaServiceInstance.STATUS, FlotillaServiceInstance.UP);
        this.zone = zone == null ? "" : zone;
        this.weight = weight;
        this.ttl = ttl;
    }

    @Override
    public String getInstanceId() {
        if (this.configuredInstanceId != null) {
            return this.configuredInstanceId;
        }
        // Instance ids allow [A-Za-z0-9._-]: an IPv6 host or a ':' would be refused.
        return (this.serviceId + "-" + this.host + "-" + this.port).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    @Override
    public String getServiceId() {
        return this.serviceId;
    }

    @Override
    public String getHost() {
        return this.host;
    }

    @Override
    public int getPort() {
        return this.port;
    }

    /** Sets the port once the web server has one. */
    public void setPort(int port) {
        this.port = port;
    }

    @Override
    public boolean isSecure() {
        return this.secure;
    }

    @Override
    public URI getUri() {
        return ServiceInstance.createUri(this);
    }

    @Override
    public Map<String, String> getMetadata() {
        synchronized (this.metadata) {
            return Map.copyOf(this.metadata);
        }
    }

    /** @return the status this instance registers ({@code UP}, {@code DRAINING}, ...) */
    public String getStatus() {
        return this.metadata.get(FlotillaServiceInstance.STATUS);
    }

    void setStatus(String status) {
        this.metadata.put(FlotillaServiceInstance.STATUS, status);
    }

    /** @return zone, or empty */
    public String getZone() {
        return this.zone;
    }

    /** @return load-balancing weight */
    public int getWeight() {
        return this.weight;
    }

    /** @return how long the registry keeps the instance without a heartbeat */
    public Duration getTtl() {
        return this.ttl;
    }

    /** @return what the registry is sent on (re-)registration */
    public InstanceSpec toSpec() {
        return new InstanceSpec(getInstanceId(), this.host, this.port, this.secure, getMetadata(), this.zone,
                this.weight, this.ttl);
    }

    @Override
    public String toString() {
        return "FlotillaRegistration[" + this.serviceId + "/" + getInstanceId() + " " + this.host + ":" + this.port
                + "]";
    }
}

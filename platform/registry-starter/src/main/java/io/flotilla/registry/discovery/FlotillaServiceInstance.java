package io.flotilla.registry.discovery;


import io.flotilla.registry.api.InstanceView;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.cloud.client.ServiceInstance;

/**
 * A registry instance as Spring Cloud sees it. Besides the registered metadata, {@link #getMetadata()} carries the
 * keys the Flotilla load balancer reads: {@code status} (the registry's status when it is not {@code UP}, e.g. a
 * failing health check, else the instance's own {@code status} such as {@code DRAINING}, else {@code UP}),
 * {@code weight} (when at least 1), and {@code zone} (when set). {@code version} is whatever the instance
 * registered under that key.
 */
public final class FlotillaServiceInstance implements ServiceInstance {

    /** Metadata key of the status the load balancer filters on. */
    public static final String STATUS = "status";

    /** Metadata key of the load-balancing weight. */
    public static final String WEIGHT = "weight";

    /** Metadata key of the zone. */
    public static final String ZONE = "zone";

    /** Metadata key of the version. */
    public static final String VERSION = "version";

    /** Status of an instance that may receive requests. */
    public static final String UP = "UP";

    private final InstanceView instance;

    private final Map<String, String> metadata;

    /**
     * @param instance the instance as the registry lists it
     */
    public FlotillaServiceInstance(InstanceView instance) {
        this.instance = instance;
        Map<String, String> merged = new LinkedHashMap<>(instance.metadata());
        merged.put(STATUS, effectiveStatus(instance));
        if (instance.weight() >= 1) {
            merged.put(WEIGHT, Integer.toString(instance.weight()));
        }
        if (!instance.zone().isEmpty()) {
            merged.put(ZONE, instance.zone());
        }
        this.metadata = Collections.unmodifiableMap(merged);
    }

    private static String effectiveStatus(InstanceView instance) {
        String reported = instance.status();
        if (reported != null && !reported.isBlank() && !UP.equalsIgnoreCase(reported)) {
            return reported;
        }
        String own = instance.metadata().get(STATUS);
        return own == null || own.isBlank() ? UP : own;
    }

    /** @return the registry's view of the instance */
    public InstanceView registryInstance() {
        return this.instance;
    }

    @Override
    public String getInstanceId() {
        return this.instance.instanceId();
    }

    @Override
    public String getServiceId() {
        return this.instance.service();
    }

    @Override
    public String getHost() {
        return this.instance.host();
    }

    @Override
    public int getPort() {
        return this.instance.port();
    }

    @Override
    public boolean isSecure() {
        return this.instance.secure();
    }

    @Override
    public URI getUri() {
        return ServiceInstance.createUri(this);
    }

    @Override
    public Map<String, String> getMetadata() {
        return this.metadata;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FlotillaServiceInstance that && this.instance.equals(that.instance);
    }

    @Override
    public int hashCode() {
        return this.instance.hashCode();
    }

    @Override
    public String toString() {
        return "FlotillaServiceInstance[" + getServiceId() + "/" + getInstanceId() + " " + getHost() + ":"
                + getPort() + " " + this.metadata + "]";
    }
}

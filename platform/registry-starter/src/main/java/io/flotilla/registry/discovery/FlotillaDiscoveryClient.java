package io.flotilla.registry.discovery;

import java.util.List;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** {@link DiscoveryClient} answering from the watched {@link ServiceInstanceCache}. */
public class FlotillaDiscoveryClient implements DiscoveryClient {

    private final ServiceInstanceCache cache;

    /**
     * @param cache the watched cache
     */
    public FlotillaDiscoveryClient(ServiceInstanceCache cache) {
        this.cache = cache;
    }

    @Override
    public String description() {
        return "Flotilla registry discovery client";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        return this.cache.instances(serviceId);
    }

    @Override
    public List<String> getServices() {
        return this.cache.services();
    }
}

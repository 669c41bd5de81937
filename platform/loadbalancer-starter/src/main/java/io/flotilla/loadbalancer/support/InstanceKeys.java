package io.flotilla.loadbalancer.support;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Identity of an instance for in-flight counters, metrics and hash rings: {@code serviceId/host:port}.
 * The address rather than the registry's instance id, so that an instance restarting under a new id
 * keeps its place on the hash ring.
 */
public final class InstanceKeys {

    private InstanceKeys() {
    }

    /** Key of {@code instance}. */
    public static String of(ServiceInstance instance) {
        return instance.getServiceId() + '/' + instance.getHost() + ':' + instance.getPort();
    }
}

package io.flotilla.registry.discovery;

import java.util.List;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

/**
 * {@link ReactiveDiscoveryClient} answering from the watched {@link ServiceInstanceCache}. Only the first read of
 * a service can wait (for the watch's first answer); it runs on the bounded-elastic scheduler so that it never
 * blocks an event loop.
 */
public class FlotillaReactiveDiscoveryClient implements ReactiveDiscoveryClient {

    private final ServiceInstanceCache cache;

    /**
     * @param cache the watched cache
     */
    public FlotillaReactiveDiscoveryClient(ServiceInstanceCache cache) {
        this.cache = cache;
    }

    @Override
    public String description() {
        return "Flotilla registry reactive discovery client";
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return fromCache(this.cache.isLoaded(serviceId), () -> this.cache.instances(serviceId));
    }

    @Override
    public Flux<String> getServices() {
        return fromCache(false, this.cache::services);
    }

    private static <T> Flux<T> fromCache(boolean loaded, Supplier<List<T>> read) {
        Flux<T> answer = Flux.defer(() -> Flux.fromIterable(read.get()));
        return loaded ? answer : answer.subscribeOn(Schedulers.boundedElastic());
    }
}

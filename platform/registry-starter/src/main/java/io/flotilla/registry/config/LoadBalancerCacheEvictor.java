package io.flotilla.registry.config;

import io.flotilla.registry.discovery.ServiceInstanceCache;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cache.Cache;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;
import org.springframework.core.Ordered;

/**
 * Evicts a changed service from Spring Cloud LoadBalancer's instance cache (keyed by service id), so that the
 * next request reads the fresh list from the discovery cache instead of a copy up to the cache TTL (35 s by
 * default) old. The cache manager is looked up lazily: it is created by the load balancer's own configuration.
 * Runs before the {@link HeartbeatEventPublisher}, so that whoever reacts to the event finds the cache cleared.
 */
final class LoadBalancerCacheEvictor implements ServiceInstanceCache.ChangeListener, Ordered {

    private final ObjectProvider<LoadBalancerCacheManager> cacheManagers;

    LoadBalancerCacheEvictor(ObjectProvider<LoadBalancerCacheManager> cacheManagers) {
        this.cacheManagers = cacheManagers;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void changed(String service, long index) {
        if (service == null) {
            return;
        }
        this.cacheManagers.forEach(manager -> {
            Cache cache = manager.getCache(CachingServiceInstanceListSupplier.SERVICE_INSTANCE_CACHE_NAME);
            if (cache != null) {
                cache.evict(service);
            }
        });
    }
}

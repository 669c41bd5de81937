package io.flotilla.registry.config;

import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.discovery.FlotillaDiscoveryClient;
import io.flotilla.registry.discovery.FlotillaReactiveDiscoveryClient;
import io.flotilla.registry.discovery.ServiceInstanceCache;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Discovery from the registry: a {@link ServiceInstanceCache} kept fresh by blocking queries, the blocking and
 * reactive discovery clients on top of it, a Spring Cloud {@link HeartbeatEvent} on every change (the gateway
 * refreshes its routes on it), and, with Spring Cloud LoadBalancer present, eviction of the changed service from
 * the load balancer's instance cache so that a new, gone or draining instance is seen at once rather than after
 * that cache's TTL.
 */
@AutoConfiguration(after = RegistryClientAutoConfiguration.class)
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(name = "flotilla.registry.discovery.enabled", matchIfMissing = true)
@ConditionalOnBean(RegistryClient.class)
public class RegistryDiscoveryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ServiceInstanceCache flotillaServiceInstanceCache(RegistryClient client, RegistryProperties properties,
            ObjectProvider<ServiceInstanceCache.ChangeListener> listeners) {
        ServiceInstanceCache cache = new ServiceInstanceCache(client, properties.getWatchWait(),
                properties.getInitialLoadTimeout());
        listeners.orderedStream().forEach(cache::addListener);
        return cache;
    }

    @Bean
    ServiceInstanceCache.ChangeListener flotillaHeartbeatEventPublisher(ApplicationEventPublisher publisher) {
        return new HeartbeatEventPublisher(publisher, publisher);
    }

    /** The blocking client, for RestClient, RestTemplate and HTTP interface clients. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlockingDiscoveryEnabled
    static class Blocking {

        @Bean
        @ConditionalOnMissingBean
        FlotillaDiscoveryClient flotillaDiscoveryClient(ServiceInstanceCache cache) {
            return new FlotillaDiscoveryClient(cache);
        }
    }

    /** The reactive client, for WebFlux applications and Spring Cloud Gateway. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flux.class)
    @ConditionalOnReactiveDiscoveryEnabled
    static class Reactive {

        @Bean
        @ConditionalOnMissingBean
        FlotillaReactiveDiscoveryClient flotillaReactiveDiscoveryClient(ServiceInstanceCache cache) {
            return new FlotillaReactiveDiscoveryClient(cache);
        }
    }

    /** Keeps Spring Cloud LoadBalancer's instance cache from serving a list the registry has replaced. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(LoadBalancerCacheManager.class)
    static class LoadBalancerCacheEviction {

        /**
         * Spring Cloud declares its cache manager {@code autowireCandidate = false} (so it never becomes the
         * application's cache manager); an injected provider would not see it, the bean factory's own does.
         */
        @Bean
        ServiceInstanceCache.ChangeListener flotillaLoadBalancerCacheEvictor(BeanFactory beanFactory) {
            return new LoadBalancerCacheEvictor(beanFactory.getBeanProvider(LoadBalancerCacheManager.class));
        }
    }
}

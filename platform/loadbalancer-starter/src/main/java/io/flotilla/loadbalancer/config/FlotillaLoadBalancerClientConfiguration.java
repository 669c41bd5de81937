package io.flotilla.loadbalancer.config;

import io.flotilla.loadbalancer.core.Algorithms;
import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.InstanceMetadata;
import io.flotilla.loadbalancer.core.OutlierDetector;
import io.flotilla.loadbalancer.support.FlotillaLoadBalancer;
import io.flotilla.loadbalancer.support.RequestKeys;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Per-service load-balancer configuration, applied to every service's child context through
 * {@code @LoadBalancerClients(defaultConfiguration = ...)}: builds the algorithm configured for the service.
 * A {@code @LoadBalancerClient(name = ..., configuration = ...)} of the application defining its own
 * {@link ReactorLoadBalancer} wins over this one.
 */
@Configuration(proxyBeanMethods = false)
public class FlotillaLoadBalancerClientConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ReactorLoadBalancer<ServiceInstance> flotillaLoadBalancer(Environment environment,
            ObjectProvider<ServiceInstanceListSupplier> suppliers, FlotillaLoadBalancerProperties properties,
            InFlightCounters inFlightCounters, InstanceMetadata instanceMetadata, OutlierDetector outlierDetector) {
        String serviceId = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME);
        FlotillaLoadBalancerProperties.Resolved settings = properties.resolve(serviceId);
        RequestKeys requestKeys = settings.algorithm().usesKey()
                ? new RequestKeys(settings.hashHeader(), settings.hashCookie()) : null;
        return new FlotillaLoadBalancer(suppliers, Algorithms.create(settings.algorithm(), settings.virtualNodes()),
                requestKeys, inFlightCounters, instanceMetadata, outlierDetector);
    }
}

package io.flotilla.loadbalancer.config;

import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.InstanceMetadata;
import io.flotilla.loadbalancer.core.OutlierDetector;
import io.flotilla.loadbalancer.stats.InFlightLoadBalancerLifecycle;
import io.flotilla.loadbalancer.stats.InstanceMetricsLoadBalancerLifecycle;
import io.flotilla.loadbalancer.stats.OutlierDetectionLoadBalancerLifecycle;
import io.flotilla.loadbalancer.support.ClientAddressWebFilter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes Flotilla's algorithms the load balancer of every Spring Cloud LoadBalancer client, chosen per
 * service by {@link FlotillaLoadBalancerProperties}, counts in-flight requests per instance and ejects
 * failing instances ({@link OutlierDetector}), both fed by {@code LoadBalancerLifecycle}s.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(ReactorServiceInstanceLoadBalancer.class)
@ConditionalOnProperty(prefix = "flotilla.loadbalancer", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FlotillaLoadBalancerProperties.class)
@LoadBalancerClients(defaultConfiguration = FlotillaLoadBalancerClientConfiguration.class)
public class FlotillaLoadBalancerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    InFlightCounters flotillaInFlightCounters() {
        return new InFlightCounters();
    }

    @Bean
    @ConditionalOnMissingBean
    InstanceMetadata flotillaInstanceMetadata() {
        return new InstanceMetadata();
    }

    @Bean
    @ConditionalOnMissingBean
    OutlierDetector flotillaOutlierDetector(FlotillaLoadBalancerProperties properties) {
        FlotillaLoadBalancerProperties.OutlierDetection settings = properties.getOutlierDetection();
        if (!settings.isEnabled()) {
            return OutlierDetector.disabled();
        }
        return new OutlierDetector(settings.getConsecutiveFailures(), settings.getEjectionDuration(), System::nanoTime);
    }

    @Bean
    @ConditionalOnMissingBean
    OutlierDetectionLoadBalancerLifecycle flotillaOutlierDetectionLifecycle(OutlierDetector outlierDetector) {
        return new OutlierDetectionLoadBalancerLifecycle(outlierDetector);
    }

    @Bean
    @ConditionalOnMissingBean
    InFlightLoadBalancerLifecycle flotillaInFlightLifecycle(InFlightCounters inFlightCounters) {
        return new InFlightLoadBalancerLifecycle(inFlightCounters);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        InstanceMetricsLoadBalancerLifecycle flotillaInstanceMetricsLifecycle(MeterRegistry meterRegistry,
                InFlightCounters inFlightCounters, OutlierDetector outlierDetector) {
            return new InstanceMetricsLoadBalancerLifecycle(meterRegistry, inFlightCounters, outlierDetector);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class ReactiveWebConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ClientAddressWebFilter flotillaClientAddressWebFilter() {
            return new ClientAddressWebFilter();
        }
    }
}

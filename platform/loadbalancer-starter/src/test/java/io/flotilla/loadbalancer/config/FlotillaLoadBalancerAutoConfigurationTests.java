package io.flotilla.loadbalancer.config;

import io.flotilla.loadbalancer.core.ConsistentHash;
import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.LeastConnections;
import io.flotilla.loadbalancer.core.OutlierDetector;
import io.flotilla.loadbalancer.core.PowerOfTwoChoices;
import io.flotilla.loadbalancer.core.RoundRobin;
import io.flotilla.loadbalancer.core.SmoothWeightedRoundRobin;
import io.flotilla.loadbalancer.stats.InFlightLoadBalancerLifecycle;
import io.flotilla.loadbalancer.stats.InstanceMetricsLoadBalancerLifecycle;
import io.flotilla.loadbalancer.stats.OutlierDetectionLoadBalancerLifecycle;
import io.flotilla.loadbalancer.support.FlotillaLoadBalancer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

class FlotillaLoadBalancerAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FlotillaLoadBalancerAutoConfiguration.class,
                LoadBalancerAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
                SimpleReactiveDiscoveryClientAutoConfiguration.class, UtilAutoConfiguration.class))
        .withPropertyValues("spring.cloud.discovery.client.simple.instances.order-service[0].uri=http://127.0.0.1:9001",
                "spring.cloud.discovery.client.simple.instances.order-service[1].uri=http://127.0.0.1:9002",
                "spring.cloud.discovery.client.simple.instances.order-service[1].metadata.status=DRAINING");

    @Test
    void everyServiceGetsTheDefaultAlgorithm() {
        runner.run(context -> {
            LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
            assertThat(algorithmOf(factory, "order-service")).isInstanceOf(RoundRobin.class);
            assertThat(algorithmOf(factory, "anything-else")).isInstanceOf(RoundRobin.class);
        });
    }

    @Test
    void algorithmIsChosenPerServiceWithAConfiguredDefault() {
        runner.withPropertyValues("flotilla.loadbalancer.default-algorithm=p2c",
                "flotilla.loadbalancer.services.order-service.algorithm=weighted-round-robin",
                "flotilla.loadbalancer.services.inventory-service.algorithm=consistent-hash",
                "flotilla.loadbalancer.services.inventory-service.hash-header=X-User",
                "flotilla.loadbalancer.services.cart-service.algorithm=weighted-least-connections")
            .run(context -> {
                LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
                assertThat(algorithmOf(factory, "order-service")).isInstanceOf(SmoothWeightedRoundRobin.class);
                assertThat(algorithmOf(factory, "inventory-service")).isInstanceOf(ConsistentHash.class);
                assertThat(algorithmOf(factory, "cart-service")).isInstanceOf(LeastConnections.class);
                assertThat(algorithmOf(factory, "billing-service")).isInstanceOf(PowerOfTwoChoices.class);
            });
    }

    @Test
    void choosesAmongDiscoveredInstancesSkippingDrainingOnes() {
        runner.withPropertyValues("flotilla.loadbalancer.default-algorithm=random").run(context -> {
            ReactiveLoadBalancer<ServiceInstance> loadBalancer = context.getBean(LoadBalancerClientFactory.class)
                .getInstance("order-service");
            for (int i = 0; i < 50; i++) {
                assertThat(reactor.core.publisher.Mono.from(loadBalancer.choose(new DefaultRequest<>())).block()
                    .getServer().getPort()).isEqualTo(9001);
            }
        });
    }

    @Test
    void registersLifecyclesAndMetricsWhenAMeterRegistryExists() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(InFlightCounters.class);
            assertThat(context).hasSingleBean(InFlightLoadBalancerLifecycle.class);
            assertThat(context).hasSingleBean(InstanceMetricsLoadBalancerLifecycle.class);
        });
        runner.run(context -> assertThat(context).doesNotHaveBean(InstanceMetricsLoadBalancerLifecycle.class));
    }

    @Test
    void outlierDetectionFollowsItsPropertiesAndCanBeTurnedOff() {
        runner.withPropertyValues("flotilla.loadbalancer.outlier-detection.consecutive-failures=2").run(context -> {
            assertThat(context).hasSingleBean(OutlierDetectionLoadBalancerLifecycle.class);
            OutlierDetector detector = context.getBean(OutlierDetector.class);
            detector.failed("order-service/127.0.0.1:9001");
            assertThat(detector.isEjected("order-service/127.0.0.1:9001")).isFalse();
            detector.failed("order-service/127.0.0.1:9001");
            assertThat(detector.isEjected("order-service/127.0.0.1:9001")).isTrue();
        });
        runner.withPropertyValues("flotilla.loadbalancer.outlier-detection.enabled=false")
            .run(context -> assertThat(context.getBean(OutlierDetector.class)).isSameAs(OutlierDetector.disabled()));
    }

    @Test
    void userLoadBalancerForAServiceWins() {
        runner.withUserConfiguration(UserLoadBalancerConfiguration.class).run(context -> {
            LoadBalancerClientFactory factory = context.getBean(LoadBalancerClientFactory.class);
            assertThat(factory.getInstance("order-service")).isInstanceOf(RoundRobinLoadBalancer.class);
            assertThat(factory.getInstance("inventory-service")).isInstanceOf(FlotillaLoadBalancer.class);
        });
    }

    @Test
    void userInFlightCountersWin() {
        InFlightCounters own = new InFlightCounters();
        runner.withBean(InFlightCounters.class, () -> own)
            .run(context -> assertThat(context.getBean(InFlightCounters.class)).isSameAs(own));
    }

    @Test
    void canBeSwitchedOff() {
        runner.withPropertyValues("flotilla.loadbalancer.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(InFlightCounters.class);
            assertThat(context.getBean(LoadBalancerClientFactory.class).getInstance("order-service"))
                .isInstanceOf(RoundRobinLoadBalancer.class);
        });
    }

    private static Object algorithmOf(LoadBalancerClientFactory factory, String serviceId) {
        return ((FlotillaLoadBalancer) factory.getInstance(serviceId)).algorithm();
    }

    @Configuration(proxyBeanMethods = false)
    @LoadBalancerClient(name = "order-service", configuration = PlainRoundRobin.class)
    static class UserLoadBalancerConfiguration {
    }

    static class PlainRoundRobin {

        @Bean
        ReactorLoadBalancer<ServiceInstance> roundRobin(Environment environment,
                ObjectProvider<ServiceInstanceListSupplier> suppliers) {
            return new RoundRobinLoadBalancer(suppliers, environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME));
        }
    }
}

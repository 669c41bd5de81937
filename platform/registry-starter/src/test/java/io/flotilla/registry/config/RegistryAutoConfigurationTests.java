package io.flotilla.registry.config;

import io.flotilla.id.config.IdAutoConfiguration;
import io.flotilla.id.core.StaticWorkerIdProvider;
import io.flotilla.id.core.WorkerIdProvider;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.discovery.FlotillaDiscoveryClient;
import io.flotilla.registry.discovery.FlotillaReactiveDiscoveryClient;
import io.flotilla.registry.discovery.ServiceInstanceCache;
import io.flotilla.registry.id.RegistryWorkerIdProvider;
import io.flotilla.registry.serviceregistry.FlotillaAutoServiceRegistration;
import io.flotilla.registry.serviceregistry.FlotillaRegistration;
import io.flotilla.registry.serviceregistry.FlotillaServiceRegistry;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.cache.Cache;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.config.LoadBalancerCacheAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions and property binding of the starter's auto-configuration; nothing here talks to a registry. */
class RegistryAutoConfigurationTests {

    private static final AutoConfigurations STARTER = AutoConfigurations.of(RegistryClientAutoConfiguration.class,
            RegistryDiscoveryAutoConfiguration.class, RegistryServiceRegistryAutoConfiguration.class,
            RegistryWorkerIdAutoConfiguration.class, UtilAutoConfiguration.class,
            AutoServiceRegistrationConfiguration.class, AutoServiceRegistrationAutoConfiguration.class);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(STARTER)
        .withPropertyValues("spring.application.name=orders", "flotilla.id.state-dir=target/id-state");

    /**
     * With the id starter too. Lazy, because its generator leases a slot when created and no registry runs here:
     * the tests look at which {@link WorkerIdProvider} was chosen, not at the generator.
     */
    private final WebApplicationContextRunner withIdStarter = this.runner
        .withConfiguration(AutoConfigurations.of(IdAutoConfiguration.class))
        .withBean(LazyInitializationBeanFactoryPostProcessor.class);

    @Test
    void defaultsGiveClientDiscoveryRegistryAndLeasedWorkerIds() {
        this.withIdStarter.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(RegistryClient.class);
            assertThat(context).hasSingleBean(ServiceInstanceCache.class);
            assertThat(context).hasSingleBean(FlotillaDiscoveryClient.class);
            assertThat(context).hasSingleBean(FlotillaReactiveDiscoveryClient.class);
            assertThat(context).hasSingleBean(FlotillaServiceRegistry.class);
            assertThat(context).hasSingleBean(FlotillaRegistration.class);
            assertThat(context.getBean(WorkerIdProvider.class)).isInstanceOf(RegistryWorkerIdProvider.class);
            assertThat(context.getBean(RegistryClient.class).addresses())
                .containsExactly(URI.create("http://127.0.0.1:8500"));
        });
    }

    @Test
    void propertiesReachTheClientAndTheRegistration() {
        this.runner
            .withPropertyValues("flotilla.registry.addresses=http://10.0.0.1:8500,http://10.0.0.2:8500",
                    "flotilla.registry.service-name=order-service", "flotilla.registry.instance-id=orders-a",
                    "flotilla.registry.host=10.1.2.3", "flotilla.registry.port=8081", "flotilla.registry.zone=z1",
                    "flotilla.registry.weight=7", "flotilla.registry.version=3.0.1",
                    "flotilla.registry.metadata.team=shop", "flotilla.registry.ttl=12s")
            .run(context -> {
                assertThat(context.getBean(RegistryClient.class).addresses())
                    .containsExactly(URI.create("http://10.0.0.1:8500"), URI.create("http://10.0.0.2:8500"));
                FlotillaRegistration registration = context.getBean(FlotillaRegistration.class);
                assertThat(registration.getServiceId()).isEqualTo("order-service");
                assertThat(registration.getInstanceId()).isEqualTo("orders-a");
                assertThat(registration.getHost()).isEqualTo("10.1.2.3");
                assertThat(registration.getPort()).isEqualTo(8081);
                assertThat(registration.getZone()).isEqualTo("z1");
                assertThat(registration.getWeight()).isEqualTo(7);
                assertThat(registration.getTtl()).isEqualTo(Duration.ofSeconds(12));
                assertThat(registration.getMetadata()).containsEntry("version", "3.0.1")
                    .containsEntry("team", "shop")
                    .containsEntry("status", "UP");
                assertThat(registration.toSpec().ttl()).isEqualTo(Duration.ofSeconds(12));
            });
    }

    @Test
    void serviceNameDefaultsToTheApplicationNameAndInstanceIdToServiceHostPort() {
        this.runner.withPropertyValues("flotilla.registry.host=10.1.2.3").run(context -> {
            FlotillaRegistration registration = context.getBean(FlotillaRegistration.class);
            registration.setPort(8081);
            assertThat(registration.getServiceId()).isEqualTo("orders");
            assertThat(registration.getInstanceId()).isEqualTo("orders-10.1.2.3-8081");
        });
    }

    @Test
    void disabledStarterDefinesNothing() {
        this.withIdStarter.withPropertyValues("flotilla.registry.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RegistryClient.class);
            assertThat(context).doesNotHaveBean(ServiceInstanceCache.class);
            assertThat(context).doesNotHaveBean(FlotillaServiceRegistry.class);
            assertThat(context.getBean(WorkerIdProvider.class)).isInstanceOf(StaticWorkerIdProvider.class);
        });
    }

    @Test
    void discoveryCanBeSwitchedOffAloneOrThroughSpringCloud() {
        this.runner.withPropertyValues("flotilla.registry.discovery.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(ServiceInstanceCache.class);
            assertThat(context).doesNotHaveBean(FlotillaDiscoveryClient.class);
            assertThat(context).hasSingleBean(FlotillaServiceRegistry.class);
        });
        this.runner.withPropertyValues("spring.cloud.discovery.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(FlotillaDiscoveryClient.class));
        this.runner.withPropertyValues("spring.cloud.discovery.reactive.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(FlotillaDiscoveryClient.class);
            assertThat(context).doesNotHaveBean(FlotillaReactiveDiscoveryClient.class);
        });
    }

    @Test
    void reactiveClientNeedsReactor() {
        this.runner.withClassLoader(new FilteredClassLoader(Flux.class)).run(context -> {
            assertThat(context).hasSingleBean(FlotillaDiscoveryClient.class);
            assertThat(context).doesNotHaveBean(FlotillaReactiveDiscoveryClient.class);
        });
    }

    @Test
    void registrationCanBeSwitchedOff() {
        this.runner.withPropertyValues("flotilla.registry.registration.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(FlotillaServiceRegistry.class);
            assertThat(context).hasSingleBean(FlotillaDiscoveryClient.class);
        });
    }

    @Test
    void autoRegistrationOnlyWhereAWebServerCanStart() {
        this.runner.run(context -> assertThat(context).hasSingleBean(FlotillaAutoServiceRegistration.class));
        this.runner.withClassLoader(new FilteredClassLoader(WebServerInitializedEvent.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(FlotillaAutoServiceRegistration.class);
            assertThat(context).hasSingleBean(FlotillaServiceRegistry.class);
        });
        this.runner.withPropertyValues("spring.cloud.service-registry.auto-registration.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(FlotillaAutoServiceRegistration.class));
    }

    @Test
    void discoveryOnlyApplicationRegistersNothingAndNeedsNoName() {
        new ApplicationContextRunner().withConfiguration(STARTER).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(FlotillaDiscoveryClient.class);
            assertThat(context).doesNotHaveBean(FlotillaServiceRegistry.class);
            assertThat(context).doesNotHaveBean(FlotillaRegistration.class);
        });
    }

    @Test
    void workerIdsStayStaticWithoutTheIdStarterOrWhenSwitchedOff() {
        this.withIdStarter.withPropertyValues("flotilla.registry.id.enabled=false")
            .run(context -> assertThat(context.getBean(WorkerIdProvider.class))
                .isInstanceOf(StaticWorkerIdProvider.class));
        this.runner.withClassLoader(new FilteredClassLoader(WorkerIdProvider.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(RegistryClient.class);
            assertThat(context).doesNotHaveBean(RegistryWorkerIdProvider.class);
        });
    }

    @Test
    void userBeansReplaceTheStartersOwn() {
        this.withIdStarter.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context.getBean(RegistryClient.class)).isSameAs(UserBeans.CLIENT);
            assertThat(context.getBean(WorkerIdProvider.class)).isInstanceOf(StaticWorkerIdProvider.class);
        });
    }

    @Test
    void changesEvictTheLoadBalancerCacheBeforeTheHeartbeatEvent() {
        this.runner.withConfiguration(AutoConfigurations.of(LoadBalancerCacheAutoConfiguration.class))
            .run(context -> {
                List<ServiceInstanceCache.ChangeListener> listeners = context
                    .getBeanProvider(ServiceInstanceCache.ChangeListener.class)
                    .orderedStream()
                    .toList();
                assertThat(listeners).extracting(listener -> listener.getClass().getSimpleName())
                    .containsExactly("LoadBalancerCacheEvictor", "HeartbeatEventPublisher");
                Cache cache = context.getBean(LoadBalancerCacheManager.class)
                    .getCache(CachingServiceInstanceListSupplier.SERVICE_INSTANCE_CACHE_NAME);
                cache.put("orders", List.of());
                cache.put("payments", List.of());
                listeners.get(0).changed("orders", 42);
                assertThat(cache.get("orders")).isNull();
                assertThat(cache.get("payments")).isNotNull();
            });
    }

    @Test
    void heartbeatIntervalMustBeBelowTheTtl() {
        this.runner.withPropertyValues("flotilla.registry.ttl=10s", "flotilla.registry.heartbeat-interval=10s")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("flotilla.registry.heartbeat-interval"));
    }

    @Test
    void registrationWithoutAServiceNameFailsClearly() {
        new WebApplicationContextRunner().withConfiguration(STARTER)
            .withPropertyValues("flotilla.id.state-dir=target/id-state")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("spring.application.name"));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        static final RegistryClient CLIENT = RegistryClient.builder().address(URI.create("http://127.0.0.1:1")).build();

        @Bean
        RegistryClient userRegistryClient() {
            return CLIENT;
        }

        @Bean
        WorkerIdProvider userWorkerIdProvider() {
            return new StaticWorkerIdProvider(0, 3);
        }
    }
}

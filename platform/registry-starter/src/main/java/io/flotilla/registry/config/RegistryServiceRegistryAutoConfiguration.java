package io.flotilla.registry.config;

import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.discovery.FlotillaServiceInstance;
import io.flotilla.registry.serviceregistry.FlotillaAutoServiceRegistration;
import io.flotilla.registry.serviceregistry.FlotillaRegistration;
import io.flotilla.registry.serviceregistry.FlotillaServiceRegistry;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring Cloud's {@code ServiceRegistry} backed by the registry, this application's {@link FlotillaRegistration},
 * and auto-registration once the web server listens. Web applications only: an application without a web server
 * has nothing for others to call, so a discovery-only application gets discovery and nothing from here (and needs
 * no service name).
 */
@AutoConfiguration(after = { RegistryClientAutoConfiguration.class, AutoServiceRegistrationConfiguration.class,
        AutoServiceRegistrationAutoConfiguration.class })
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "flotilla.registry.registration.enabled", matchIfMissing = true)
@ConditionalOnBean(RegistryClient.class)
public class RegistryServiceRegistryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FlotillaServiceRegistry flotillaServiceRegistry(RegistryClient client, RegistryProperties properties,
            ObjectProvider<AutoServiceRegistrationProperties> autoRegistration) {
        if (properties.getTtl().toSeconds() < 1) {
            throw new IllegalArgumentException("flotilla.registry.ttl=" + properties.getTtl()
                    + " is below the registry's one-second resolution");
        }
        if (properties.getHeartbeatInterval().compareTo(properties.getTtl()) >= 0
                || !properties.getHeartbeatInterval().isPositive()) {
            throw new IllegalArgumentException("flotilla.registry.heartbeat-interval="
                    + properties.getHeartbeatInterval() + " must be positive and below flotilla.registry.ttl="
                    + properties.getTtl() + " (a third of it is usual)");
        }
        boolean failFast = autoRegistration.getIfAvailable(AutoServiceRegistrationProperties::new).isFailFast();
        return new FlotillaServiceRegistry(client, properties.getHeartbeatInterval(), failFast);
    }

    @Bean
    @ConditionalOnMissingBean
    FlotillaRegistration flotillaRegistration(RegistryProperties properties, Environment environment,
            ObjectProvider<InetUtils> inetUtils) {
        String serviceName = serviceName(properties, environment);
        String host = properties.getHost();
        if (host == null || host.isBlank()) {
            InetUtils utils = inetUtils.getIfAvailable(() -> new InetUtils(new InetUtilsProperties()));
            host = utils.findFirstNonLoopbackHostInfo().getIpAddress();
        }
        Map<String, String> metadata = new LinkedHashMap<>(properties.getMetadata());
        if (properties.getVersion() != null && !properties.getVersion().isBlank()) {
            metadata.put(FlotillaServiceInstance.VERSION, properties.getVersion());
        }
        return new FlotillaRegistration(serviceName, properties.getInstanceId(), host, properties.getPort(),
                properties.isSecure(), metadata, properties.getZone(), properties.getWeight(), properties.getTtl());
    }

    static String serviceName(RegistryProperties properties, Environment environment) {
        String name = properties.getServiceName();
        if (name == null || name.isBlank()) {
            name = environment.getProperty("spring.application.name");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Set spring.application.name or flotilla.registry.service-name: the "
                    + "registry needs a service name to register this application under");
        }
        return name;
    }

    /** Registers on web server start-up, deregisters on graceful shutdown. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebServerInitializedEvent.class)
    @ConditionalOnBean(AutoServiceRegistrationProperties.class)
    static class AutoRegistration {

        @Bean
        @ConditionalOnMissingBean
        FlotillaAutoServiceRegistration flotillaAutoServiceRegistration(ApplicationContext context,
                FlotillaServiceRegistry serviceRegistry, AutoServiceRegistrationProperties autoRegistration,
                FlotillaRegistration registration, RegistryProperties properties) {
            return new FlotillaAutoServiceRegistration(context, serviceRegistry, autoRegistration, registration,
                    properties.getRegistration().isEnabled());
        }
    }
}

package io.flotilla.registry.config;

import io.flotilla.registry.client.RegistryClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/** The {@link RegistryClient} every other part of the starter uses; TLS from the SSL bundle {@code flotilla.registry.ssl-bundle}. */
@AutoConfiguration
@ConditionalOnProperty(name = "flotilla.registry.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RegistryProperties.class)
public class RegistryClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RegistryClient flotillaRegistryClient(RegistryProperties properties, ObjectProvider<SslBundles> sslBundles) {
        if (properties.getAddresses() == null || properties.getAddresses().isEmpty()) {
            throw new IllegalArgumentException("flotilla.registry.addresses is empty: name at least one registry "
                    + "node, e.g. http://127.0.0.1:8500");
        }
        return RegistryClient.builder()
            .addresses(properties.getAddresses())
            .token(properties.getToken())
            .connectTimeout(properties.getConnectTimeout())
            .requestTimeout(properties.getRequestTimeout())
            .failoverTimeout(properties.getFailoverTimeout())
            .sslContext(RegistrySslContext.of(properties.getSslBundle(), sslBundles.getIfAvailable()))
            .build();
    }
}

package io.flotilla.registry.config;

import io.flotilla.id.config.IdAutoConfiguration;
import io.flotilla.id.core.WorkerIdProvider;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.id.RegistryWorkerIdProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * With the flotilla id starter present, the id generator's worker id is leased from the registry instead of read
 * from {@code flotilla.id.worker-id}. Runs before the id starter's auto-configuration, whose static provider then
 * backs off. The datacenter id stays configured ({@code flotilla.id.datacenter-id}); a configured
 * {@code flotilla.id.worker-id} stops start-up ({@link WorkerIdConflictException}) rather than being ignored.
 */
@AutoConfiguration(after = RegistryClientAutoConfiguration.class, before = IdAutoConfiguration.class)
@ConditionalOnClass(WorkerIdProvider.class)
@ConditionalOnProperty(name = "flotilla.registry.id.enabled", matchIfMissing = true)
@ConditionalOnBean(RegistryClient.class)
public class RegistryWorkerIdAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WorkerIdProvider flotillaRegistryWorkerIdProvider(RegistryClient client, RegistryProperties properties,
            Environment environment) {
        String configuredWorkerId = environment.getProperty("flotilla.id.worker-id");
        if (configuredWorkerId != null) {
            throw new WorkerIdConflictException(configuredWorkerId);
        }
        int datacenterId = environment.getProperty("flotilla.id.datacenter-id", Integer.class, 0);
        String application = environment.getProperty("spring.application.name", "application");
        String owner = application + "@" + ProcessHandle.current().pid();
        return new RegistryWorkerIdProvider(client, properties.getId().getKeyPrefix(), datacenterId,
                properties.getId().getLeaseTtl(), owner);
    }
}

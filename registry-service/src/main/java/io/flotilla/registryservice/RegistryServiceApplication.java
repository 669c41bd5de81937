package io.flotilla.registryservice;

import io.flotilla.raft.server.config.AsmConfigurationClassReading;
import io.flotilla.raft.server.config.BuildTimeBeanDefinitions;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The Raft-replicated service registry and consistent-core KV. */
@SpringBootApplication
@EnableConfigurationProperties(RegistryProperties.class)
public class RegistryServiceApplication {

    public static void main(String[] args) {
        BuildTimeBeanDefinitions.useWhenPackaged(RegistryServiceApplication.class);
        SpringApplication application = new SpringApplication(RegistryServiceApplication.class);
        application.addListeners(RegistryRenamedProperties.listener());
        application.addInitializers(new AsmConfigurationClassReading());
        application.run(args);
    }
}

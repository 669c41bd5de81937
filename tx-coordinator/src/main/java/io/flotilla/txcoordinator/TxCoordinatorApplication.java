package io.flotilla.txcoordinator;

import io.flotilla.raft.server.config.AsmConfigurationClassReading;
import io.flotilla.raft.server.config.BuildTimeBeanDefinitions;
import io.flotilla.txcoordinator.config.CoordinatorRenamedProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The transaction coordinator: global TCC and XA transactions on a Raft-replicated log. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TxCoordinatorApplication {

    public static void main(String[] args) {
        BuildTimeBeanDefinitions.useWhenPackaged(TxCoordinatorApplication.class);
        SpringApplication application = new SpringApplication(TxCoordinatorApplication.class);
        application.addListeners(CoordinatorRenamedProperties.listener());
        application.addInitializers(new AsmConfigurationClassReading());
        application.run(args);
    }
}

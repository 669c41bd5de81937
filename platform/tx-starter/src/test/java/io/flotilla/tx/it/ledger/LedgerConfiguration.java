package io.flotilla.tx.it.ledger;

import io.flotilla.tx.config.TxProperties;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.HttpCoordinatorClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    /** Replaces the starter's client (it backs off), adding the registration-delay fault. */
    @Bean
    CoordinatorClient coordinatorClient(TxProperties properties, Faults faults) {
        TxProperties.Coordinator coordinator = properties.getCoordinator();
        return new SlowRegistrationCoordinatorClient(new HttpCoordinatorClient(coordinator.getAddresses(),
                coordinator.getConnectTimeout(), coordinator.getRequestTimeout()), faults);
    }

    @Bean
    LedgerSchema ledgerSchema(JdbcTemplate jdbc) {
        return new LedgerSchema(jdbc);
    }
}

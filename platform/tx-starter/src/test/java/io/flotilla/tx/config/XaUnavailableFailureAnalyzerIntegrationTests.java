package io.flotilla.tx.config;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.tx.xa.XaBranch;
import io.flotilla.tx.xa.XaDataSources;
import io.flotilla.tx.xa.XaPreflight;
import io.flotilla.tx.xa.XaUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An XA participant whose database cannot run XA branches stops at start-up, and Spring Boot's failure report
 * names the setting: PostgreSQL's max_prepared_transactions (read from the real server; a server raised by
 * scripts/prepare-test-servers.sh is checked with the value passed through the reading seam as 0), and a MariaDB
 * user without XA_RECOVER_ADMIN (a real user created without it).
 */
@ExtendWith({ DatabaseExtension.class, OutputCaptureExtension.class })
class XaUnavailableFailureAnalyzerIntegrationTests {

    /** The settings the seam was asked for, with the real server's answers. */
    static final List<String> realReadings = new CopyOnWriteArrayList<>();

    private static SpringApplicationBuilder participant(Class<?> source, TestDatabase database, String username,
            String password) {
        return new SpringApplicationBuilder(source).web(WebApplicationType.NONE)
            .properties("spring.config.name=xa-preflight-tests", "spring.application.name=xa-preflight",
                    "spring.datasource.url=" + database.jdbcUrl(), "spring.datasource.username=" + username,
                    "spring.datasource.password=" + (password == null ? "" : password),
                    "flotilla.tx.coordinator.addresses=http://127.0.0.1:1");
    }

    @Test
    void postgresWithoutPreparedTransactionsStopsStartUpNamingTheSetting(@Db(DatabaseEngine.POSTGRESQL) TestDatabase database,
            CapturedOutput output) throws Exception {
        String real = XaPreflight.ServerSettings.SHOW.read(database.connect(), "max_prepared_transactions");
        boolean realServerRefuses = Integer.parseInt(real) == 0;
        // With the real reading: stops exactly when the real server has 0.
        if (realServerRefuses) {
            assertThatThrownBy(() -> participant(Participant.class, database, database.username(), database.password())
                .run()
                .close()).satisfies(e -> assertThat(xaUnavailable(e)).isNotNull());
        } else {
            participant(Participant.class, database, database.username(), database.password()).run().close();
        }
        // Through the seam the real server's answer is read, then replaced by 0.
        realReadings.clear();
        assertThatThrownBy(() -> participant(ParticipantReadingZero.class, database, database.username(),
                database.password()).run().close())
            .satisfies(e -> assertThat(xaUnavailable(e).setting()).isEqualTo("max_prepared_transactions"));
        assertThat(realReadings).containsExactly("max_prepared_transactions=" + real);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("This application has @XaBranch methods, but its database cannot run XA branches: PostgreSQL has "
                    + "max_prepared_transactions = 0")
            .contains("Raise PostgreSQL's max_prepared_transactions (for example ALTER SYSTEM SET max_prepared_transactions = 64");
    }

    /**
     * MariaDB 10.11 (this project's server) lets a user without XA_RECOVER_ADMIN run XA RECOVER, unlike MySQL 8,
     * which refuses it with error 1227 (the refusal the check names the privilege for). A participant whose user
     * lacks the privilege therefore starts here, and the check must not stop it.
     */
    @Test
    void mariaDbUserWithoutXaRecoverAdminIsCheckedAndStartsWhereTheServerAllowsRecovery(
            @Db(DatabaseEngine.MARIADB) TestDatabase database) throws Exception {
        String user = "flt_noxa_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection admin = database.connect(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'no-xa-recover'");
            sql.execute("GRANT ALL PRIVILEGES ON `" + database.name() + "`.* TO '" + user + "'@'%'");
            try {
                participant(Participant.class, database, user, "no-xa-recover").run().close();
            } finally {
                sql.execute("DROP USER '" + user + "'@'%'");
            }
        }
    }

    private static XaUnavailableException xaUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof XaUnavailableException unavailable) {
                return unavailable;
            }
        }
        return null;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TxAutoConfiguration.class, XaAutoConfiguration.class })
    static class Participant {

        @Bean
        Stock stock() {
            return new Stock();
        }
    }

    /** The participant with the reading seam: the real server is asked, and the check is given 0. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TxAutoConfiguration.class, XaAutoConfiguration.class })
    static class ParticipantReadingZero {

        @Bean
        Stock stock() {
            return new Stock();
        }

        @Bean
        XaPreflight xaPreflight(org.springframework.core.env.Environment environment) {
            return new XaPreflight(XaDataSources.forUrl(environment.getProperty("spring.datasource.url"),
                    environment.getProperty("spring.datasource.username"),
                    environment.getProperty("spring.datasource.password")), (connection, name) -> {
                        realReadings.add(name + "=" + XaPreflight.ServerSettings.SHOW.read(connection, name));
                        return "0";
                    });
        }
    }

    static class Stock {

        @XaBranch("stock")
        public void take(String sku) {
        }
    }
}

package io.flotilla.tx.config;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.core.HttpCoordinatorClient;
import io.flotilla.tx.tcc.TccActionRegistry;
import io.flotilla.tx.tcc.TccFenceStore;
import io.flotilla.tx.web.XidPropagatingInterceptor;
import io.flotilla.tx.xa.XaResourceManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class TxAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TxAutoConfiguration.class, TxWebAutoConfiguration.class,
                TccAutoConfiguration.class, XaAutoConfiguration.class));

    @Test
    void withoutADataSourceOnlyTheInitiatorIsConfigured() {
        runner.withPropertyValues("flotilla.tx.coordinator.addresses=http://127.0.0.1:18090,http://127.0.0.1:18091")
            .run(context -> {
                assertThat(context).hasSingleBean(GlobalTransactionTemplate.class)
                    .hasSingleBean(XidPropagatingInterceptor.class)
                    .hasSingleBean(RestClientCustomizer.class)
                    .doesNotHaveBean(TccFenceStore.class)
                    .doesNotHaveBean(XaResourceManager.class);
                assertThat(context.getBean(CoordinatorClient.class)).isInstanceOfSatisfying(HttpCoordinatorClient.class,
                        client -> assertThat(client.addresses()).containsExactly(
                                URI.create("http://127.0.0.1:18090"), URI.create("http://127.0.0.1:18091")));
            });
    }

    @Test
    void theCoordinatorTokenIsSentAsABearerToken() throws Exception {
        HttpServer coordinator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<String> authorization = new AtomicReference<>();
        coordinator.createContext("/v1/transactions", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"xid\":\"x-1\",\"status\":\"ACTIVE\",\"timeoutAt\":\"2030-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        coordinator.start();
        try {
            runner.withPropertyValues("flotilla.tx.coordinator.addresses=http://127.0.0.1:"
                    + coordinator.getAddress().getPort(), "flotilla.tx.coordinator.token=s3cret")
                .run(context -> {
                    context.getBean(CoordinatorClient.class).begin(TransactionMode.TCC, Duration.ofSeconds(5), null);
                    assertThat(authorization.get()).isEqualTo("Bearer s3cret");
                });
        } finally {
            coordinator.stop(0);
        }
    }

    @Test
    void anApplicationCoordinatorClientReplacesTheStartersOne() {
        runner.withUserConfiguration(OwnClient.class)
            .run(context -> assertThat(context.getBean(CoordinatorClient.class)).isSameAs(OwnClient.CLIENT));
    }

    @Test
    void withAnH2DataSourceTheParticipantsAndTheFenceTableAreSetUp() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:cfg-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
            .run(context -> {
                assertThat(context).hasSingleBean(TccFenceStore.class)
                    .hasSingleBean(TccActionRegistry.class)
                    .hasSingleBean(XaResourceManager.class);
                JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flotilla_tx_fence", Integer.class)).isZero();
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"flotilla_tx_schema_history\" WHERE \"success\"",
                        Integer.class)).isPositive();
            });
    }

    @Test
    void theFenceSchemaAndXaSupportCanBeSwitchedOff() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:cfg-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "flotilla.tx.tcc.initialize-schema=false", "flotilla.tx.xa.enabled=false")
            .run(context -> {
                assertThat(context).hasSingleBean(TccFenceStore.class).doesNotHaveBean(XaResourceManager.class);
                JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
                assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'flotilla_tx_fence'",
                        Integer.class)).isZero();
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {

        static final CoordinatorClient CLIENT = new HttpCoordinatorClient(List.of(URI.create("http://127.0.0.1:1")),
                Duration.ofSeconds(1), Duration.ofSeconds(1));

        @Bean
        CoordinatorClient coordinatorClient() {
            return CLIENT;
        }
    }
}

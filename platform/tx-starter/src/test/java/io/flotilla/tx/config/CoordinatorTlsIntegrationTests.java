package io.flotilla.tx.config;

import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.tls.TestCertificates;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.GlobalTransaction;
import io.flotilla.txcoordinator.TxCoordinatorApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tx-coordinator node in this JVM on HTTPS ({@code server.ssl.bundle}) with its Raft port on mutual TLS
 * ({@code flotilla.coordinator.ssl-bundle}), from a CA made for the test: the starter's coordinator client begins and
 * decides a transaction with nothing but {@code flotilla.tx.coordinator.ssl-bundle}; without it the client is
 * refused, and an undefined bundle stops start-up naming the property.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CoordinatorTlsIntegrationTests {

    private static final String STARTER_AUTO_CONFIGURATIONS = "io.flotilla.tx.config.TxAutoConfiguration,"
            + "io.flotilla.tx.config.TxWebAutoConfiguration,io.flotilla.tx.config.TccAutoConfiguration,"
            + "io.flotilla.tx.config.XaAutoConfiguration,io.flotilla.tx.message.config.TxMessagesAutoConfiguration";

    @TempDir
    static Path root;

    private static TestCertificates ca;
    private static Path clientKeyStore;
    private static int httpPort;
    private static ConfigurableApplicationContext coordinator;

    @BeforeAll
    static void startCoordinator() {
        ca = TestCertificates.authority(root.resolve("pki"), "Flotilla Coordinator Test CA");
        Path nodeKeyStore = ca.issue("tx-node", "127.0.0.1", "localhost");
        clientKeyStore = ca.issue("tx-client");
        httpPort = PortProbe.freePort();
        List<String> args = new ArrayList<>(List.of("--server.port=" + httpPort, "--server.address=127.0.0.1",
                "--server.ssl.bundle=node",
                "--flotilla.coordinator.ssl-bundle=node",
                "--flotilla.coordinator.raft-host=127.0.0.1",
                "--flotilla.coordinator.raft-port=" + PortProbe.freePort(),
                "--flotilla.coordinator.data-dir=" + root.resolve("tx1"),
                "--spring.autoconfigure.exclude=" + STARTER_AUTO_CONFIGURATIONS,
                "--spring.jmx.enabled=false", "--spring.main.banner-mode=off"));
        ca.jksBundle("node", nodeKeyStore).forEach((name, value) -> args.add("--" + name + "=" + value));
        coordinator = new SpringApplicationBuilder(TxCoordinatorApplication.class).run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stopCoordinator() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void theStarterClientBeginsAndDecidesATransactionOverTls() {
        client(ca.jksBundle("client", clientKeyStore), "flotilla.tx.coordinator.ssl-bundle=client").run(context -> {
            CoordinatorClient client = context.getBean(CoordinatorClient.class);
            GlobalTransaction transaction = beginOnceLeading(client);
            assertThat(transaction.status()).isEqualTo(GlobalStatus.ACTIVE);
            assertThat(client.rollback(transaction.xid()).isRollbackDecided()).isTrue();
        });
    }

    @Test
    void aClientWithoutTheBundleIsRefused() {
        client(Map.of(), "flotilla.tx.coordinator.failover-timeout=2s").run(context -> {
            CoordinatorClient client = context.getBean(CoordinatorClient.class);
            assertThatThrownBy(() -> client.begin(TransactionMode.TCC, Duration.ofSeconds(30), "no-ca"))
                    .hasStackTraceContaining("SSLHandshakeException");
        });
    }

    @Test
    void anUndefinedBundleStopsStartUpNamingTheProperty() {
        client(Map.of(), "flotilla.tx.coordinator.ssl-bundle=missing").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("flotilla.tx.coordinator.ssl-bundle")
                    .hasMessageContaining("spring.ssl.bundle.jks.missing");
        });
    }

    /** The one node elects itself soon after start; until then begin answers 503 and the client goes round. */
    private static GlobalTransaction beginOnceLeading(CoordinatorClient client) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return client.begin(TransactionMode.TCC, Duration.ofSeconds(30), "over-tls");
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static ApplicationContextRunner client(Map<String, String> bundle, String... properties) {
        List<String> values = new ArrayList<>(List.of("flotilla.tx.coordinator.addresses=https://127.0.0.1:"
                + httpPort));
        bundle.forEach((name, value) -> values.add(name + "=" + value));
        values.addAll(List.of(properties));
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, TxAutoConfiguration.class))
                .withPropertyValues(values.toArray(String[]::new));
    }
}

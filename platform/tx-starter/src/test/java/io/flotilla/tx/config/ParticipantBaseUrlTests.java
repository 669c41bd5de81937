package io.flotilla.tx.config;

import io.flotilla.tx.core.ParticipantCallbacks;
import io.flotilla.tx.tcc.TccAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.serviceregistry.Registration;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the coordinator calls back: the configured base URL, else the address registered in the registry, else
 * localhost; and the warning a participant gets when that is a loopback address.
 */
@ExtendWith(OutputCaptureExtension.class)
class ParticipantBaseUrlTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TxAutoConfiguration.class))
        .withPropertyValues("flotilla.tx.coordinator.addresses=http://127.0.0.1:1", "server.port=8082");

    private static String confirmUrl(org.springframework.context.ApplicationContext context) {
        return context.getBean(ParticipantCallbacks.class).tcc("stock").confirmUrl();
    }

    @Test
    void theRegisteredAddressIsTheDefaultCallbackAddress() {
        runner.withBean(Registration.class, () -> registration("10.1.2.3", 8082))
            .run(context -> assertThat(confirmUrl(context)).isEqualTo("http://10.1.2.3:8082/flotilla/tx/tcc/stock/confirm"));
    }

    @Test
    void aPortOrHostTheRegistrationLearnsLaterIsTheNextCallbackAddress() {
        MutableRegistration registration = new MutableRegistration("10.1.2.3", 0);
        runner.withBean(Registration.class, () -> registration).run(context -> {
            // No port yet: the registration is not an address, so the local default serves.
            assertThat(confirmUrl(context)).isEqualTo("http://localhost:8082/flotilla/tx/tcc/stock/confirm");
            registration.port = 8082;
            assertThat(confirmUrl(context)).isEqualTo("http://10.1.2.3:8082/flotilla/tx/tcc/stock/confirm");
            registration.host = "10.9.8.7";
            registration.port = 9090;
            assertThat(confirmUrl(context)).isEqualTo("http://10.9.8.7:9090/flotilla/tx/tcc/stock/confirm");
        });
    }

    @Test
    void aConfiguredBaseUrlWinsOverTheRegisteredAddress() {
        runner.withBean(Registration.class, () -> registration("10.1.2.3", 8082))
            .withPropertyValues("flotilla.tx.participant.base-url=http://inventory-1:8082")
            .run(context -> assertThat(confirmUrl(context)).isEqualTo("http://inventory-1:8082/flotilla/tx/tcc/stock/confirm"));
    }

    @Test
    void withoutARegistryTheDefaultIsLocalhostAndAParticipantIsWarned(CapturedOutput output) {
        runner.withBean(StockReservations.class).run(context -> {
            assertThat(confirmUrl(context)).isEqualTo("http://localhost:8082/flotilla/tx/tcc/stock/confirm");
            context.getBean(ParticipantBaseUrl.class).onApplicationEvent(null);
            assertThat(output).contains("The coordinator will call this participant back at http://localhost:8082")
                .contains("works only while the coordinator runs on this host");
        });
    }

    @Test
    void aLoopbackBaseUrlBesideARegistrationIsWarnedAboutNamingTheRegisteredAddress(CapturedOutput output) {
        runner.withBean(StockReservations.class)
            .withBean(Registration.class, () -> registration("10.1.2.3", 8082))
            .withPropertyValues("flotilla.tx.participant.base-url=http://127.0.0.1:8082")
            .run(context -> {
                context.getBean(ParticipantBaseUrl.class).onApplicationEvent(null);
                assertThat(output).contains("flotilla.tx.participant.base-url=http://127.0.0.1:8082 is a loopback address")
                    .contains("Remove it to use the address this application registered in the registry, http://10.1.2.3:8082");
            });
    }

    @Test
    void anApplicationWithoutBranchesIsNotWarned(CapturedOutput output) {
        runner.run(context -> {
            context.getBean(ParticipantBaseUrl.class).onApplicationEvent(null);
            assertThat(output).doesNotContain("call this participant");
        });
    }

    static class StockReservations {

        @TccAction(name = "stock", confirm = "confirm", cancel = "cancel")
        public void reserve(String sku) {
        }

        public void confirm(String sku) {
        }

        public void cancel(String sku) {
        }
    }

    /** A registration whose address changes, as one whose web server has not started yet. */
    private static final class MutableRegistration implements Registration {

        private volatile String host;
        private volatile int port;

        MutableRegistration(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public String getServiceId() {
            return "inventory-service";
        }

        @Override
        public String getHost() {
            return host;
        }

        @Override
        public int getPort() {
            return port;
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public URI getUri() {
            return URI.create("http://" + host + ":" + port);
        }

        @Override
        public Map<String, String> getMetadata() {
            return Map.of();
        }
    }

    private static Registration registration(String host, int port) {
        return new MutableRegistration(host, port);
    }
}

package io.flotilla.registry.config;

import io.flotilla.id.config.IdAutoConfiguration;
import io.flotilla.id.core.IdGenerator;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A worker id configured beside registry leasing is never silently dropped: start-up stops and Spring Boot's
 * failure report names both ways out; switching leasing off uses the configured id.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerIdFailureAnalyzerTests {

    private static SpringApplicationBuilder app(String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .properties("spring.config.name=worker-id-tests", "spring.application.name=payments",
                    // Nobody listens there: the conflict is found before the registry is ever called.
                    "flotilla.registry.addresses=http://127.0.0.1:" + PortProbe.freePort(),
                    "flotilla.id.state-dir=target/worker-id-tests")
            .properties(properties);
    }

    @Test
    void aConfiguredWorkerIdBesideRegistryLeasingStopsStartUpSayingHowToChoose(CapturedOutput output) {
        assertThatThrownBy(() -> app("flotilla.id.worker-id=5").run().close())
            .hasRootCauseInstanceOf(WorkerIdConflictException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("flotilla.id.worker-id is set to 5, but with flotilla-registry-spring-boot-starter present")
            .contains("Remove flotilla.id.worker-id to lease the worker id from the registry")
            .contains("set flotilla.registry.id.enabled=false to use flotilla.id.worker-id=5 as configured");
    }

    @Test
    void withLeasingSwitchedOffTheConfiguredWorkerIdIsUsed() {
        try (ConfigurableApplicationContext context = app("flotilla.id.worker-id=5",
                "flotilla.registry.id.enabled=false").run()) {
            IdGenerator ids = context.getBean(IdGenerator.class);
            assertThat(ids.parse(ids.next()).workerId()).isEqualTo(5);
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ RegistryClientAutoConfiguration.class, RegistryWorkerIdAutoConfiguration.class,
            IdAutoConfiguration.class })
    static class App {
    }
}

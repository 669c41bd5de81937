package io.flotilla.lock.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A misspelt backend stops start-up, and Spring Boot's failure report lists the valid ones. */
@ExtendWith(OutputCaptureExtension.class)
class UnknownLockBackendFailureAnalyzerTests {

    @Test
    void misspeltBackendIsReportedWithTheValidOnes(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .properties("flotilla.lock.backend=registery")
            .run()
            .close()).hasRootCauseInstanceOf(UnknownLockBackendException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("flotilla.lock.backend is set to 'registery', which is not a lock backend.")
            .contains("Set flotilla.lock.backend to one of: redis, redlock, registry, jdbc");
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration(LockAutoConfiguration.class)
    static class App {
    }
}

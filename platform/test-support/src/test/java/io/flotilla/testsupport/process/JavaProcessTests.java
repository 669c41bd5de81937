package io.flotilla.testsupport.process;

import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JavaProcessTests {

    @Test
    void startsAHealthyProcessKillsItAndStartsItAgain() {
        int port = PortProbe.freePort();
        try (JavaProcess process = JavaProcess.builder("healthy-main", HealthyMain.class)
                .args(Integer.toString(port))
                .systemProperty("flotilla.greeting", "hello")
                .healthUrl("http://127.0.0.1:" + port + "/health")
                .start()) {
            long firstPid = process.pid();
            assertThat(PortProbe.isListening("127.0.0.1", port, 1000)).isTrue();
            assertThat(process.logTail()).contains("listening on " + port);

            process.kill();
            assertThat(process.isAlive()).isFalse();
            assertThat(PortProbe.isListening("127.0.0.1", port, 500)).isFalse();

            process.start();
            assertThat(process.isAlive()).isTrue();
            assertThat(process.pid()).isNotEqualTo(firstPid);
        }
    }

    @Test
    void aPausedProcessStaysAliveAndAnswersAgainAfterResume() {
        int port = PortProbe.freePort();
        try (JavaProcess process = JavaProcess.builder("paused-main", HealthyMain.class)
                .args(Integer.toString(port))
                .healthUrl("http://127.0.0.1:" + port + "/health")
                .start()) {
            process.pause();
            assertThat(process.isAlive()).isTrue();
            process.resume();
            process.awaitHealthy();
        }
    }

    @Test
    void aProcessThatExitsBeforeItIsHealthyFailsWithItsOutput() {
        JavaProcess process = JavaProcess.builder("failing-main", HealthyMain.class)
                .args("not-a-port")
                .healthUrl("http://127.0.0.1:" + PortProbe.freePort() + "/health")
                .startTimeout(Duration.ofSeconds(60))
                .build();
        assertThatThrownBy(process::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with")
                .hasMessageContaining("NumberFormatException");
    }
}

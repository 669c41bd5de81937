package io.flotilla.raft.server.kit;

import io.flotilla.raft.server.config.RaftServerFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node told to use an SSL bundle that is not defined does not start, and the analysis says what to define. */
class RaftKitSslBundleTests {

    @TempDir
    Path dataDir;

    @Test
    void anUndefinedSslBundleStopsStartUpNamingThePropertyAndTheBundle() {
        assertThatThrownBy(() -> CounterNode.start("n1", 0, "", dataDir,
                CounterApplication.PREFIX + ".ssl-bundle=raft-tls"))
                .satisfies(failure -> {
                    FailureAnalysis analysis = new RaftServerFailureAnalyzer().analyze(failure);
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("no SSL bundle named 'raft-tls'")
                            .contains(CounterApplication.PREFIX + ".ssl-bundle");
                    assertThat(analysis.getAction()).contains("spring.ssl.bundle.jks.raft-tls")
                            .contains("spring.ssl.bundle.pem.raft-tls");
                });
    }
}

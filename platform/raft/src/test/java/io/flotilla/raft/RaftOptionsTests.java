package io.flotilla.raft;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RaftOptionsTests {

    @Test
    void defaultsAreValid() {
        RaftOptions defaults = RaftOptions.defaults();
        assertThat(defaults.electionTimeoutMax()).isGreaterThan(defaults.electionTimeoutMin());
        assertThat(defaults.heartbeatInterval()).isLessThan(defaults.electionTimeoutMin());
    }

    @Test
    void electionTimeoutMustBeARangeAboveTheHeartbeat() {
        RaftOptions defaults = RaftOptions.defaults();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> defaults.withElectionTimeout(Duration.ofMillis(500), Duration.ofMillis(500)))
                .withMessageContaining("randomized");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> defaults.withHeartbeatInterval(Duration.ofSeconds(1)))
                .withMessageContaining("heartbeatInterval");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withMaxInFlightAppends(0));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withSnapshotThreshold(0));
    }

    @Test
    void theSnapshotGrowthFactorIsOffByDefaultAndNeverNegative() {
        RaftOptions defaults = RaftOptions.defaults();
        assertThat(defaults.snapshotGrowthFactor()).isZero();
        assertThat(defaults.withSnapshotGrowthFactor(1.5).snapshotGrowthFactor()).isEqualTo(1.5);
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withSnapshotGrowthFactor(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withSnapshotGrowthFactor(Double.NaN));
    }
}

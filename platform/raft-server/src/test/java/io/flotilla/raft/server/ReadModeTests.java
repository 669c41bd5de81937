package io.flotilla.raft.server;

import io.flotilla.raft.ReadConsistency;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadModeTests {

    @Test
    void defaultIsLinearizable() {
        assertThat(ReadMode.of(null, null)).isEqualTo(ReadMode.LINEARIZABLE);
        assertThat(ReadMode.of("linearizable", null).local()).isFalse();
    }

    @Test
    void staleAndMinIndexAreLocal() {
        assertThat(ReadMode.of("STALE", null)).isEqualTo(ReadMode.STALE);
        assertThat(ReadMode.of(null, 42L)).isEqualTo(new ReadMode(ReadConsistency.STALE, 42));
        assertThat(ReadMode.of("stale", 7L).local()).isTrue();
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> ReadMode.of("eventual", null)).hasMessageContaining("consistency");
        assertThatThrownBy(() -> ReadMode.of(null, -1L)).hasMessageContaining("min-index");
        assertThatThrownBy(() -> ReadMode.of("linearizable", 3L)).hasMessageContaining("min-index");
    }
}

package io.flotilla.raft.core;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandEnvelopeTests {

    @Test
    void aCommandWithASessionReadsBackWhole() {
        byte[] command = new byte[40_000];
        new Random(7).nextBytes(command);

        CommandEnvelope decoded = CommandEnvelope.decode(new CommandEnvelope("client-é", 42, command).encode());

        assertThat(decoded.clientId()).isEqualTo("client-é");
        assertThat(decoded.sequence()).isEqualTo(42);
        assertThat(decoded.command()).isEqualTo(command);
    }

    @Test
    void aCommandWithoutASessionAndAnEmptyOneReadBack() {
        CommandEnvelope plain = CommandEnvelope.decode(new CommandEnvelope(null, 0, new byte[] {1, 2, 3}).encode());
        CommandEnvelope empty = CommandEnvelope.decode(new CommandEnvelope("c", 1, new byte[0]).encode());

        assertThat(plain.clientId()).isNull();
        assertThat(plain.command()).containsExactly(1, 2, 3);
        assertThat(empty.command()).isEmpty();
    }

    @Test
    void aTruncatedEntryIsCorrupt() {
        byte[] whole = new CommandEnvelope("client", 9, new byte[] {1}).encode();
        byte[] truncated = java.util.Arrays.copyOf(whole, 4);

        assertThatThrownBy(() -> CommandEnvelope.decode(truncated)).isInstanceOf(IllegalStateException.class)
            .hasMessage("corrupt command entry");
    }
}

package io.flotilla.raft.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WriteOutcomeTests {

    @Test
    void wireNamesRoundTrip() {
        for (WriteOutcome outcome : WriteOutcome.values()) {
            assertThat(WriteOutcome.fromWireName(outcome.wireName())).isEqualTo(outcome);
        }
    }

    @Test
    void anythingElseIsAnErrorThatSaysWhatWasFound() {
        assertThatIllegalArgumentException().isThrownBy(() -> WriteOutcome.fromWireName("maybe"))
                .withMessageContaining("'maybe'");
    }

    @Test
    void problemTypesAreFoundByTheirUri() {
        assertThat(RaftProblemType.fromUri("urn:flotilla:problem:no-leader")).contains(RaftProblemType.NO_LEADER);
        assertThat(RaftProblemType.fromUri("about:blank")).isEmpty();
    }
}

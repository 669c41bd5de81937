package io.flotilla.testsupport.linearizability;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.flotilla.testsupport.linearizability.KvOps.get;
import static io.flotilla.testsupport.linearizability.KvOps.getTimedOut;
import static io.flotilla.testsupport.linearizability.KvOps.put;
import static io.flotilla.testsupport.linearizability.KvOps.putTimedOut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class KvModelTests {

    private final KvModel model = new KvModel();

    @Test
    void historyIsPartitionedByKeyWithoutTimedOutReads() {
        Operation putX = put(1, "x", "1", 0, 10);
        Operation putY = put(1, "y", "1", 20, 30);
        Operation getX = get(2, "x", "1", 40, 50);
        Operation lostPutY = putTimedOut(2, "y", "2", 60);

        List<List<Operation>> parts = model.partition(List.of(putX, putY, getX, lostPutY, getTimedOut(3, "x", 70)));

        assertThat(parts).containsExactly(List.of(putX, getX), List.of(putY, lostPutY));
        assertThat(model.describePartition(parts.get(1))).isEqualTo("key 'y'");
    }

    @Test
    void compareAndSetThatFailedLeavesTheStateAlone() {
        Map<String, String> state = Map.of("x", "1");

        assertThat(model.step(state, new KvInput.Cas("x", "2", "3"), false)).containsExactly(state);
        assertThat(model.step(state, new KvInput.Cas("x", "1", "3"), true)).containsExactly(Map.of("x", "3"));
        assertThat(model.stepWithUnknownOutput(state, new KvInput.Cas("x", "1", "3"))).containsExactly(Map.of("x", "3"));
        assertThat(model.stepWithUnknownOutput(state, new KvInput.Cas("x", "2", "3")))
                .as("a timed-out Cas that could not swap is left to the checker's never-happened branch")
                .isEmpty();
    }

    @Test
    void outputOfTheWrongTypeIsARecordingBugNotAnIllegalHistory() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> model.step(Map.of(), new KvInput.Put("x", "1"), true))
                .withMessageContaining("Ack.OK");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> model.step(Map.of(), new KvInput.Cas("x", null, "1"), "ok"))
                .withMessageContaining("Boolean");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> model.partition(List.of(Operation.completed(1, "put x", "ok", 0, 1))))
                .withMessageContaining("KvInput");
    }
}

package io.flotilla.testsupport.linearizability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import static io.flotilla.testsupport.linearizability.KvOps.cas;
import static io.flotilla.testsupport.linearizability.KvOps.casTimedOut;
import static io.flotilla.testsupport.linearizability.KvOps.get;
import static io.flotilla.testsupport.linearizability.KvOps.getTimedOut;
import static io.flotilla.testsupport.linearizability.KvOps.put;
import static io.flotilla.testsupport.linearizability.KvOps.putTimedOut;
import static org.assertj.core.api.Assertions.assertThat;

class LinearizabilityCheckerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static CheckResult check(Operation... history) {
        return LinearizabilityChecker.check(new KvModel(), List.of(history), TIMEOUT);
    }

    private static void assertLinearizable(Operation... history) {
        CheckResult result = check(history);
        assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.OK);
    }

    private static CheckResult assertIllegal(Operation... history) {
        CheckResult result = check(history);
        assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.ILLEGAL);
        return result;
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertLinearizable();
    }

    @Test
    void readOfMissingKeyReturnsNull() {
        assertLinearizable(get(1, "x", null, 0, 10));
        assertIllegal(get(1, "x", "1", 0, 10));
    }

    @Test
    void staleReadAfterCompletedWriteIsIllegal() {
        assertIllegal(
                put(1, "x", "1", 0, 10),
                put(1, "x", "2", 20, 30),
                get(2, "x", "1", 40, 50));
    }

    @Test
    void readConcurrentWithWriteMaySeeOldOrNewValue() {
        assertLinearizable(put(1, "x", "1", 0, 10), put(1, "x", "2", 20, 40), get(2, "x", "1", 25, 30));
        assertLinearizable(put(1, "x", "1", 0, 10), put(1, "x", "2", 20, 40), get(2, "x", "2", 25, 30));
    }

    @Test
    void concurrentWritesWithReadersSeeingEitherOrderAreLinearizable() {
        assertLinearizable(
                put(1, "x", "a", 0, 100),
                put(2, "x", "b", 0, 100),
                get(3, "x", "a", 10, 20),
                get(3, "x", "b", 30, 40),
                get(4, "x", "b", 110, 120));
        assertLinearizable(
                put(1, "x", "a", 0, 100),
                put(2, "x", "b", 0, 100),
                get(3, "x", "b", 10, 20),
                get(3, "x", "a", 30, 40),
                get(4, "x", "a", 110, 120));
    }

    @Test
    void readersDisagreeingOnTheOrderOfConcurrentWritesIsIllegal() {
        assertIllegal(
                put(1, "x", "a", 0, 100),
                put(2, "x", "b", 0, 100),
                get(3, "x", "a", 10, 20),
                get(3, "x", "b", 30, 40),
                get(4, "x", "a", 110, 120));
    }

    @Test
    void readGoingBackToAnOlderValueIsIllegal() {
        assertIllegal(
                put(1, "x", "1", 0, 10),
                put(1, "x", "2", 20, 100),
                get(2, "x", "2", 30, 40),
                get(3, "x", "1", 50, 60));
    }

    @Test
    void concurrentReadsMayObserveTheWriteInEitherOrder() {
        assertLinearizable(
                put(1, "x", "1", 0, 10),
                put(1, "x", "2", 20, 100),
                get(2, "x", "2", 30, 60),
                get(3, "x", "1", 50, 70));
    }

    @Test
    void returnAndCallAtTheSameTimeAreConcurrent() {
        assertLinearizable(put(1, "x", "1", 0, 10), get(2, "x", null, 10, 20));
        assertIllegal(put(1, "x", "1", 0, 10), get(2, "x", null, 11, 20));
    }

    @Test
    void compareAndSetSucceedsOnlyOnTheExpectedValue() {
        assertLinearizable(
                put(1, "x", "1", 0, 10),
                cas(1, "x", "1", "2", true, 20, 30),
                cas(2, "x", "1", "3", false, 40, 50),
                get(2, "x", "2", 60, 70));
        assertIllegal(
                put(1, "x", "1", 0, 10),
                cas(2, "x", "2", "3", true, 20, 30));
        assertIllegal(
                put(1, "x", "1", 0, 10),
                cas(2, "x", "1", "3", false, 20, 30));
    }

    @Test
    void compareAndSetOnMissingKeyExpectsNull() {
        assertLinearizable(cas(1, "x", null, "1", true, 0, 10), get(1, "x", "1", 20, 30));
        assertIllegal(cas(1, "x", null, "1", true, 0, 10), cas(2, "x", null, "2", true, 20, 30));
    }

    @Test
    void twoConcurrentCompareAndSetsCannotBothWin() {
        assertIllegal(
                put(1, "x", "0", 0, 10),
                cas(1, "x", "0", "1", true, 20, 40),
                cas(2, "x", "0", "2", true, 20, 40));
        assertLinearizable(
                put(1, "x", "0", 0, 10),
                cas(1, "x", "0", "1", true, 20, 40),
                cas(2, "x", "0", "2", false, 20, 40),
                get(3, "x", "1", 50, 60));
    }

    @Test
    void timedOutWriteThatLaterAppearsIsLinearizable() {
        assertLinearizable(
                put(1, "x", "1", 0, 10),
                putTimedOut(2, "x", "2", 20),
                get(3, "x", "1", 30, 40),
                get(3, "x", "2", 1_000, 1_010));
    }

    @Test
    void timedOutWriteThatNeverAppearsIsLinearizable() {
        assertLinearizable(
                put(1, "x", "1", 0, 10),
                putTimedOut(2, "x", "2", 20),
                get(3, "x", "1", 30, 40),
                get(3, "x", "1", 1_000, 1_010));
    }

    @Test
    void timedOutWriteReadBeforeItWasInvokedIsIllegal() {
        assertIllegal(
                put(1, "x", "1", 0, 10),
                get(3, "x", "2", 20, 30),
                putTimedOut(2, "x", "2", 40));
    }

    @Test
    void timedOutWriteCannotTakeEffectTwice() {
        assertIllegal(
                put(1, "x", "1", 0, 10),
                putTimedOut(2, "x", "2", 20),
                get(3, "x", "2", 30, 40),
                put(1, "x", "3", 50, 60),
                get(3, "x", "2", 70, 80));
    }

    @Test
    void timedOutCompareAndSetMayHaveSwapped() {
        assertLinearizable(
                put(1, "x", "1", 0, 10),
                casTimedOut(2, "x", "1", "2", 20),
                get(3, "x", "2", 30, 40));
        assertIllegal(
                put(1, "x", "5", 0, 10),
                casTimedOut(2, "x", "1", "2", 20),
                get(3, "x", "2", 30, 40));
    }

    @Test
    void timedOutOperationThatCanNeverTakeEffectIsDropped() {
        assertLinearizable(
                put(1, "x", "5", 0, 10),
                casTimedOut(2, "x", "1", "2", 20),
                get(3, "x", "5", 30, 40));
    }

    @Test
    void timedOutReadsConstrainNothing() {
        assertLinearizable(put(1, "x", "1", 0, 10), getTimedOut(2, "x", 20), get(3, "x", "1", 30, 40));
    }

    @Test
    void keysAreCheckedIndependently() {
        assertLinearizable(
                put(1, "x", "1", 0, 10),
                put(2, "y", "1", 0, 10),
                get(1, "y", "1", 20, 30),
                get(2, "x", "1", 20, 30));
        CheckResult result = assertIllegal(
                put(1, "x", "1", 0, 10),
                put(2, "y", "1", 0, 10),
                get(1, "y", "1", 20, 30),
                get(2, "x", null, 20, 30));
        assertThat(result.counterexample().orElseThrow().partition()).isEqualTo("key 'x'");
    }

    @Test
    void illegalVerdictExplainsTheKeyTheLongestPrefixAndTheOperationThatCannotBePlaced() {
        Operation firstWrite = put(1, "x", "1", 0, 10);
        Operation secondWrite = put(1, "x", "2", 20, 30);
        Operation staleRead = get(2, "x", "1", 40, 50);

        CheckResult result = assertIllegal(firstWrite, secondWrite, staleRead, put(3, "y", "9", 0, 5));

        Counterexample counterexample = result.counterexample().orElseThrow();
        assertThat(counterexample.partition()).isEqualTo("key 'x'");
        assertThat(counterexample.longestLinearizablePrefix()).containsExactly(firstWrite, secondWrite);
        assertThat(counterexample.stateAfterPrefix()).isEqualTo("{x=2}");
        assertThat(counterexample.couldNotBePlaced()).containsExactly(staleRead);
        assertThat(result.explanation())
                .contains("key 'x'", "state after it: {x=2}", "1. " + firstWrite, "2. " + secondWrite, staleRead.toString());
    }

    @Test
    void counterexampleListsEveryOperationDueNext() {
        Operation write = put(1, "x", "1", 0, 10);
        Operation readsTwo = get(2, "x", "2", 20, 40);
        Operation readsThree = get(3, "x", "3", 25, 35);

        Counterexample counterexample = assertIllegal(write, readsTwo, readsThree).counterexample().orElseThrow();

        assertThat(counterexample.longestLinearizablePrefix()).containsExactly(write);
        assertThat(counterexample.couldNotBePlaced()).containsExactlyInAnyOrder(readsTwo, readsThree);
    }

    @Test
    void runningOutOfTimeGivesUnknown() {
        CheckResult result = LinearizabilityChecker.check(new KvModel(), List.of(put(1, "x", "1", 0, 10)), Duration.ZERO);

        assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.UNKNOWN);
        assertThat(result.explanation()).contains("timed out", "key 'x'");
        assertThat(result.counterexample()).isEmpty();
    }

    @Test
    void effectivelyUnlimitedTimeoutIsAccepted() {
        CheckResult result = LinearizabilityChecker.check(new KvModel(), List.of(put(1, "x", "1", 0, 10)),
                Duration.ofSeconds(Long.MAX_VALUE));

        assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.OK);
    }

    /** A register whose writes may be lost: a write leaves either the new value or the old one. */
    private record LossyRegister() implements Model<Integer> {
        @Override
        public Integer initialState() {
            return 0;
        }

        @Override
        public Collection<Integer> step(Integer state, Object input, Object output) {
            if (input instanceof Integer written) {
                return List.of(state, written);
            }
            return output.equals(state) ? List.of(state) : List.of();
        }

        @Override
        public Collection<Integer> stepWithUnknownOutput(Integer state, Object input) {
            return step(state, input, state);
        }
    }

    @Test
    void nondeterministicModelsAreFollowedThroughEveryPossibleState() {
        Model<Integer> lossy = new LossyRegister();
        Operation write = Operation.completed(1, 5, "ok", 0, 10);
        Operation readOld = Operation.completed(2, "read", 0, 20, 30);
        Operation readNew = Operation.completed(2, "read", 5, 20, 30);
        Operation readNewThenOld = Operation.completed(2, "read", 0, 40, 50);

        assertThat(LinearizabilityChecker.check(lossy, List.of(write, readOld), TIMEOUT).verdict())
                .isEqualTo(CheckResult.Verdict.OK);
        assertThat(LinearizabilityChecker.check(lossy, List.of(write, readNew), TIMEOUT).verdict())
                .isEqualTo(CheckResult.Verdict.OK);
        CheckResult flipFlop = LinearizabilityChecker.check(lossy, List.of(write, readNew, readNewThenOld), TIMEOUT);
        assertThat(flipFlop.verdict()).as(flipFlop.explanation()).isEqualTo(CheckResult.Verdict.ILLEGAL);
        assertThat(flipFlop.counterexample().orElseThrow().partition()).isEqualTo("whole history");
    }
}

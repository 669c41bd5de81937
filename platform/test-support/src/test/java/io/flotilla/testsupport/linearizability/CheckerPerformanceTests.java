package io.flotilla.testsupport.linearizability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A history the size of a long Jepsen-style run. No timing assertion: the generous checker timeout turns
 * a search that has stopped pruning (for instance a broken memo cache) into an UNKNOWN failure.
 */
class CheckerPerformanceTests {

    private static final long SEED = 20261123L;

    @Test
    void tenThousandOperationsFromFiveClientsOnTwentyKeysAreChecked() {
        List<Operation> history = new SequentialHistoryGenerator(SEED, 5, 20, 0.01).generate(10_000);

        CheckResult result = LinearizabilityChecker.check(new KvModel(), history, Duration.ofSeconds(30));

        assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.OK);
        assertThat(result.explanation()).contains("10000 operations in 20 partition(s)");
    }

    /** Proving illegality exhausts a key's whole search space, which is where the memo cache earns its keep. */
    @Test
    void tenThousandOperationsWithOneImpossibleReadAreFoundIllegal() {
        List<Operation> history = new ArrayList<>(new SequentialHistoryGenerator(SEED, 5, 20, 0.01).generate(10_000));
        int lastRead = lastCompletedRead(history);
        Operation read = history.get(lastRead);
        history.set(lastRead, Operation.completed(read.clientId(), read.input(), "never-written",
                read.callTime(), read.returnTime()));

        CheckResult result = LinearizabilityChecker.check(new KvModel(), history, Duration.ofSeconds(30));

        assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.ILLEGAL);
    }

    private static int lastCompletedRead(List<Operation> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).input() instanceof KvInput.Get && !history.get(i).outcomeUnknown()) {
                return i;
            }
        }
        throw new IllegalStateException("the generated history has no completed read");
    }
}

package io.flotilla.testsupport.linearizability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
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
}

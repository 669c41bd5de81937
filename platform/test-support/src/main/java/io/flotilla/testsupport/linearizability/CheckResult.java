package io.flotilla.testsupport.linearizability;

import java.util.Objects;
import java.util.Optional;

/**
 * The checker's verdict. {@link #explanation()} is written for a failing test's message: on
 * {@link Verdict#ILLEGAL} it names the partition, the longest linearizable prefix and the operations that
 * could not be placed after it.
 *
 * @param counterexample present exactly when the verdict is {@link Verdict#ILLEGAL}
 */
public record CheckResult(Verdict verdict, String explanation, Optional<Counterexample> counterexample) {

    public enum Verdict {
        /** Every partition has a linearization. */
        OK,
        /** Some partition has none; see the counterexample. */
        ILLEGAL,
        /** The timeout ran out before every partition was decided and none was found illegal. */
        UNKNOWN
    }

    public CheckResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(explanation, "explanation");
        if (counterexample.isPresent() != (verdict == Verdict.ILLEGAL)) {
            throw new IllegalArgumentException("a counterexample comes with, and only with, ILLEGAL");
        }
    }

    static CheckResult ok(int operations, int partitions) {
        return new CheckResult(Verdict.OK,
                "linearizable: " + operations + " operations in " + partitions + " partition(s)", Optional.empty());
    }

    static CheckResult illegal(Counterexample counterexample) {
        return new CheckResult(Verdict.ILLEGAL, counterexample.explanation(), Optional.of(counterexample));
    }

    static CheckResult unknown(String explanation) {
        return new CheckResult(Verdict.UNKNOWN, explanation, Optional.empty());
    }

    public boolean isLinearizable() {
        return verdict == Verdict.OK;
    }

    @Override
    public String toString() {
        return verdict + ": " + explanation;
    }
}

package io.flotilla.testsupport.linearizability;

import java.time.Duration;
import java.util.List;

/**
 * Decides whether a concurrent history is linearizable with respect to a sequential {@link Model}: the
 * Wing &amp; Gong search with Lowe's memoization, as Porcupine does it, run on each partition of the history
 * in turn.
 */
public final class LinearizabilityChecker {

    /** Longer timeouts are cut to this, which keeps the deadline in nanoseconds from overflowing. */
    private static final Duration LONGEST_TIMEOUT = Duration.ofDays(365);

    private LinearizabilityChecker() {
    }

    /**
     * Checks {@code operations} against {@code model}, giving up with {@link CheckResult.Verdict#UNKNOWN}
     * once {@code timeout} has passed. An ILLEGAL partition ends the check at once.
     *
     * <p>Each timed-out write doubles the alternatives the search may need to rule out before it can call
     * a partition ILLEGAL, so a partition with many of them can run into the timeout (see the README).
     */
    public static <S> CheckResult check(Model<S> model, List<Operation> operations, Duration timeout) {
        long deadline = deadlineAfter(timeout);
        List<List<Operation>> partitions = model.partition(List.copyOf(operations));
        for (List<Operation> partition : partitions) {
            PartitionSearch.Outcome outcome = new PartitionSearch<>(model, partition, deadline).run();
            switch (outcome) {
                case PartitionSearch.Outcome.Linearizable linearizable -> {
                }
                case PartitionSearch.Outcome.Illegal illegal -> {
                    return CheckResult.illegal(illegal.counterexample());
                }
                case PartitionSearch.Outcome.TimedOut timedOut -> {
                    return CheckResult.unknown("timed out after " + timeout + " while checking "
                            + model.describePartition(partition) + " (" + partition.size() + " operations)");
                }
            }
        }
        return CheckResult.ok(operations.size(), partitions.size());
    }

    private static long deadlineAfter(Duration timeout) {
        Duration bounded = timeout.isNegative() ? Duration.ZERO
                : timeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT
                : timeout;
        return System.nanoTime() + bounded.toNanos();
    }
}

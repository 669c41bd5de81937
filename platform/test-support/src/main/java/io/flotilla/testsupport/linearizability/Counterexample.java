package io.flotilla.testsupport.linearizability;

import java.util.List;

/**
 * Why one partition is not linearizable, taken from the deepest point the search reached: the longest
 * sequence of operations that could be linearized, the state it leaves, and every operation that was due
 * next (called before the earliest pending return) yet contradicts that state. The last of those is the
 * operation whose return forced the search to give up.
 */
public record Counterexample(String partition, int partitionSize, List<Operation> longestLinearizablePrefix,
                             String stateAfterPrefix, List<Operation> couldNotBePlaced) {

    public Counterexample {
        longestLinearizablePrefix = List.copyOf(longestLinearizablePrefix);
        couldNotBePlaced = List.copyOf(couldNotBePlaced);
    }

    public String explanation() {
        StringBuilder text = new StringBuilder()
                .append("not linearizable: ").append(partition).append(" (").append(partitionSize)
                .append(" operations)\n")
                .append("longest linearizable prefix (").append(longestLinearizablePrefix.size())
                .append(" operations):\n");
        for (int i = 0; i < longestLinearizablePrefix.size(); i++) {
            text.append("  ").append(i + 1).append(". ").append(longestLinearizablePrefix.get(i)).append('\n');
        }
        text.append("state after it: ").append(stateAfterPrefix).append('\n')
                .append("could not be placed next (none is possible in that state, and the last must take effect before it returns):\n");
        for (Operation operation : couldNotBePlaced) {
            text.append("  ").append(operation).append('\n');
        }
        return text.toString();
    }
}

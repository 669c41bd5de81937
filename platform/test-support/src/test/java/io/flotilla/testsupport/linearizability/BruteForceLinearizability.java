package io.flotilla.testsupport.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The definition of linearizability, executed literally for tiny histories: try every order that respects
 * real time (an operation may go next unless another one returned strictly before it was called), with
 * timed-out operations free to take effect or not. Independent of {@link KvModel} and of the checker's
 * search, so the two can be compared.
 */
final class BruteForceLinearizability {

    private BruteForceLinearizability() {
    }

    static boolean isLinearizable(List<Operation> history) {
        return search(new ArrayList<>(history), new HashMap<>());
    }

    private static boolean search(List<Operation> remaining, Map<String, String> store) {
        if (remaining.stream().allMatch(Operation::outcomeUnknown)) {
            return true;
        }
        long earliestReturn = remaining.stream().mapToLong(Operation::returnTime).min().orElseThrow();
        for (Operation candidate : List.copyOf(remaining)) {
            if (candidate.callTime() > earliestReturn) {
                continue;
            }
            Map<String, String> after = new HashMap<>(store);
            if (applies(after, candidate)) {
                remaining.remove(candidate);
                boolean found = search(remaining, after);
                remaining.add(candidate);
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Applies the operation to {@code store}; false if it could not have produced its recorded output. */
    private static boolean applies(Map<String, String> store, Operation operation) {
        boolean anyOutput = operation.outcomeUnknown();
        return switch ((KvInput) operation.input()) {
            case KvInput.Get get -> anyOutput || Objects.equals(store.get(get.key()), operation.output());
            case KvInput.Put put -> {
                store.put(put.key(), put.value());
                yield true;
            }
            case KvInput.Cas cas -> {
                boolean swaps = Objects.equals(store.get(cas.key()), cas.expected());
                if (swaps) {
                    store.put(cas.key(), cas.newValue());
                }
                yield anyOutput || operation.output().equals(swaps);
            }
        };
    }
}

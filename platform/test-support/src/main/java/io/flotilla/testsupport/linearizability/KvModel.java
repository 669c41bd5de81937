package io.flotilla.testsupport.linearizability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A linearizable string key-value store with {@link KvInput.Put}, {@link KvInput.Get} and
 * {@link KvInput.Cas}. Histories are partitioned by key, so each key is checked on its own; the state is
 * the map of keys to values (a single entry within a partition).
 */
public final class KvModel implements Model<Map<String, String>> {

    /** The output of a {@link KvInput.Put}. */
    public enum Ack { OK }

    @Override
    public Map<String, String> initialState() {
        return Map.of();
    }

    @Override
    public Collection<Map<String, String>> step(Map<String, String> state, Object input, Object output) {
        return switch (kvInput(input)) {
            case KvInput.Put put -> {
                if (output != Ack.OK) {
                    throw new IllegalArgumentException("a Put returns KvModel.Ack.OK, got " + output + " for " + put);
                }
                yield List.of(with(state, put.key(), put.value()));
            }
            case KvInput.Get get -> {
                if (output != null && !(output instanceof String)) {
                    throw new IllegalArgumentException("a Get returns a String or null, got " + output + " for " + get);
                }
                yield Objects.equals(state.get(get.key()), output) ? List.of(state) : List.of();
            }
            case KvInput.Cas cas -> {
                if (!(output instanceof Boolean swapped)) {
                    throw new IllegalArgumentException("a Cas returns a Boolean, got " + output + " for " + cas);
                }
                boolean matches = Objects.equals(state.get(cas.key()), cas.expected());
                if (swapped != matches) {
                    yield List.of();
                }
                yield List.of(matches ? with(state, cas.key(), cas.newValue()) : state);
            }
        };
    }

    /**
     * Only a swap is offered for a timed-out Cas: one that did not swap changed nothing, which is the same
     * as never having happened, and the checker already tries that.
     */
    @Override
    public Collection<Map<String, String>> stepWithUnknownOutput(Map<String, String> state, Object input) {
        return switch (kvInput(input)) {
            case KvInput.Put put -> List.of(with(state, put.key(), put.value()));
            case KvInput.Get get -> List.of(state);
            case KvInput.Cas cas -> Objects.equals(state.get(cas.key()), cas.expected())
                    ? List.of(with(state, cas.key(), cas.newValue()))
                    : List.of();
        };
    }

    /**
     * One part per key. Timed-out Gets are left out: a read whose answer nobody saw changes nothing and
     * constrains nothing, and keeping it would only widen the search.
     */
    @Override
    public List<List<Operation>> partition(List<Operation> history) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation operation : history) {
            KvInput input = kvInput(operation.input());
            if (operation.outcomeUnknown() && input instanceof KvInput.Get) {
                continue;
            }
            byKey.computeIfAbsent(input.key(), key -> new ArrayList<>()).add(operation);
        }
        return List.copyOf(byKey.values());
    }

    @Override
    public String describePartition(List<Operation> part) {
        return part.isEmpty() ? "no operations" : "key '" + kvInput(part.getFirst().input()).key() + "'";
    }

    private static KvInput kvInput(Object input) {
        if (input instanceof KvInput kvInput) {
            return kvInput;
        }
        throw new IllegalArgumentException("KvModel understands KvInput operations, got " + input);
    }

    private static Map<String, String> with(Map<String, String> state, String key, String value) {
        Map<String, String> next = new HashMap<>(state);
        next.put(key, value);
        return Map.copyOf(next);
    }
}

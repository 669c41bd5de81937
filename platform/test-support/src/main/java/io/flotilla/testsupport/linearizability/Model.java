package io.flotilla.testsupport.linearizability;

import java.util.Collection;
import java.util.List;

/**
 * The sequential specification a history is judged against.
 *
 * <p>States must be immutable values with {@code equals} and {@code hashCode}: the checker memoizes the
 * (linearized operations, state) pairs it has already explored and relies on equal states being equal.
 * A model may be nondeterministic, returning several possible next states; the checker then tracks the
 * set of states the system could be in.
 *
 * @param <S> state type
 */
public interface Model<S> {

    S initialState();

    /**
     * States the system may be in after applying {@code input} to {@code state} and answering
     * {@code output}; empty when the operation could not have answered that.
     */
    Collection<S> step(S state, Object input, Object output);

    /**
     * States the system may be in after applying {@code input} when nobody saw the answer (client timeout).
     * Outcomes that leave the state unchanged may be left out: the checker also tries the operation never
     * having happened at all.
     */
    Collection<S> stepWithUnknownOutput(S state, Object input);

    /**
     * Splits a history into independent parts checked one by one (P-compositionality, e.g. one part per
     * key of a KV store). Checking parts separately is what keeps the search small, so models whose
     * operations touch independent objects should override this.
     */
    default List<List<Operation>> partition(List<Operation> history) {
        return List.of(history);
    }

    /** Names a part returned by {@link #partition} in failure messages. */
    default String describePartition(List<Operation> part) {
        return "whole history";
    }
}

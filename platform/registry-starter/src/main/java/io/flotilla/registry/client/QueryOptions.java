package io.flotilla.registry.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a read: consistency, read-your-writes ({@code min-index}) and blocking ({@code index} + {@code wait}).
 *
 * @param consistency how fresh the answer must be
 * @param minIndex when positive, the answering node first waits until it has applied this index (read-your-writes
 *        on a follower)
 * @param index when positive, a blocking query: the registry answers once the result's index exceeds it, or when
 *        {@code wait} has passed
 * @param maxWait longest time the registry holds a blocking query; ignored unless {@code index} is positive
 */
public record QueryOptions(Consistency consistency, long minIndex, long index, Duration maxWait) {

    /** A plain linearizable read. */
    public static final QueryOptions DEFAULT = new QueryOptions(Consistency.DEFAULT, 0, 0, Duration.ZERO);

    public QueryOptions {
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(maxWait, "maxWait");
        if (minIndex < 0 || index < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("minIndex, index and maxWait must not be negative");
        }
    }

    /**
     * A blocking query: returns once the answer's index exceeds {@code index}, or after {@code maxWait} with the
     * unchanged answer.
     *
     * @param index the index of the answer already seen
     * @param maxWait longest time to hold the query
     * @return the options
     */
    public static QueryOptions blockingAfter(long index, Duration maxWait) {
        return new QueryOptions(Consistency.DEFAULT, 0, index, maxWait);
    }

    /** @return these options with another consistency */
    public QueryOptions withConsistency(Consistency newConsistency) {
        return new QueryOptions(newConsistency, this.minIndex, this.index, this.maxWait);
    }

    /** @return these options with read-your-writes at {@code newMinIndex} */
    public QueryOptions withMinIndex(long newMinIndex) {
        return new QueryOptions(this.consistency, newMinIndex, this.index, this.maxWait);
    }

    boolean blocking() {
        return this.index > 0 && this.maxWait.isPositive();
    }
}

package io.flotilla.loadbalancer.core;

import java.util.Arrays;

/** Running totals of the candidates' weights, for mapping a point in [0, total weight) to a candidate. */
final class PrefixSums {

    private final long[] upperBounds;

    private PrefixSums(long[] upperBounds) {
        this.upperBounds = upperBounds;
    }

    static PrefixSums of(Candidates candidates) {
        if (candidates.algorithmState() instanceof PrefixSums sums) {
            return sums;
        }
        long[] bounds = new long[candidates.size()];
        long total = 0;
        for (int i = 0; i < bounds.length; i++) {
            total += candidates.weight(i);
            bounds[i] = total;
        }
        PrefixSums sums = new PrefixSums(bounds);
        candidates.algorithmState(sums);
        return sums;
    }

    /** Index of the candidate whose weight interval holds {@code point} (0 &lt;= point &lt; total). */
    int indexOf(long point) {
        int found = Arrays.binarySearch(upperBounds, point + 1);
        return found >= 0 ? found : -found - 1;
    }
}

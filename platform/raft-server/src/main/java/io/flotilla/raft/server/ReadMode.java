package io.flotilla.raft.server;

import io.flotilla.raft.ReadConsistency;

import java.util.Locale;

/**
 * How fresh a read must be, from the request parameters {@code consistency} and {@code min-index}:
 * <ul>
 *   <li>default ({@code consistency} absent or {@code linearizable}): ReadIndex on the leader, so the answer
 *       reflects every write acknowledged before the request; a follower forwards the read to the leader;</li>
 *   <li>{@code consistency=stale}: answered by any node from its own state, possibly behind;</li>
 *   <li>{@code min-index=N}: answered by this node once it has applied index {@code N} (read-your-writes at a
 *       follower: pass the index a write returned).</li>
 * </ul>
 */
public record ReadMode(ReadConsistency consistency, long minIndex) {

    public static final ReadMode LINEARIZABLE = new ReadMode(ReadConsistency.LINEARIZABLE, 0);
    public static final ReadMode STALE = new ReadMode(ReadConsistency.STALE, 0);

    public ReadMode {
        if (minIndex < 0) {
            throw new IllegalArgumentException("min-index must be >= 0, got " + minIndex);
        }
    }

    /**
     * @param consistency the {@code consistency} parameter, or null
     * @param minIndex    the {@code min-index} parameter, or null
     * @throws IllegalArgumentException for an unknown consistency or a negative index (answer 400)
     */
    public static ReadMode of(String consistency, Long minIndex) {
        String mode = consistency == null ? "" : consistency.trim().toLowerCase(Locale.ROOT);
        boolean stale = switch (mode) {
            case "", "linearizable", "default" -> false;
            case "stale" -> true;
            default -> throw new IllegalArgumentException(
                    "consistency must be 'linearizable' or 'stale', got '" + consistency + "'");
        };
        if (minIndex != null) {
            if ("linearizable".equals(mode)) {
                throw new IllegalArgumentException("min-index is a local read; it cannot be combined with "
                        + "consistency=linearizable");
            }
            return new ReadMode(ReadConsistency.STALE, minIndex);
        }
        return stale ? STALE : LINEARIZABLE;
    }

    /** Whether this node may answer without the leader. */
    public boolean local() {
        return consistency == ReadConsistency.STALE;
    }
}

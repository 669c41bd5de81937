package io.flotilla.raft.storage;

/**
 * What a node must remember across a crash before it answers anyone: its current term and whom it voted
 * for in that term ({@code null} when nobody).
 */
public record HardState(long term, String votedFor) {

    public static final HardState INITIAL = new HardState(0, null);

    public HardState {
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
    }
}

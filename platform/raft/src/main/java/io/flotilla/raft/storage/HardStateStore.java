package io.flotilla.raft.storage;

/** Durable home of {@link HardState}. */
public interface HardStateStore {

    /** The last saved state, or {@link HardState#INITIAL} on a new node. */
    HardState load();

    /** Saves atomically and durably: when this returns, a crash cannot bring back an older state. */
    void save(HardState state);
}

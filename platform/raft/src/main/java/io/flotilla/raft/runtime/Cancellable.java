package io.flotilla.raft.runtime;

/** A scheduled task that can still be called off. */
@FunctionalInterface
public interface Cancellable {

    void cancel();
}

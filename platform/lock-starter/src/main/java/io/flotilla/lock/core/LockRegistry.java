package io.flotilla.lock.core;

/** Hands out {@link DistributedLock}s by name; all locks of a registry share one backend and one watchdog. */
public interface LockRegistry extends AutoCloseable {

    /** The lock called {@code name}; cheap, so call it whenever needed rather than caching the result. */
    DistributedLock lock(String name);

    /** Stops the watchdog. Locks still held are not released; they expire with their leases. */
    @Override
    void close();
}

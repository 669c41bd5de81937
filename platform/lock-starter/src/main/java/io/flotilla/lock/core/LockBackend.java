package io.flotilla.lock.core;

import java.time.Duration;
import java.util.Optional;

/**
 * The storage side of a lock, keyed by an explicit owner rather than a thread, so that it serves both the
 * thread-bound {@link DistributedLock} and the lock-service's owner-named locks. Every renewal and release is
 * checked against the owner's own value, never only the lock's name: a stale retry from an earlier holder cannot
 * release or extend a later holder's lock.
 *
 * <p>Owners must be unique per acquisition (a random or sequenced value), not reused across acquisitions.
 */
public interface LockBackend extends AutoCloseable {

    /** Short name for logs and meter tags: {@code redis}, {@code redlock}, {@code registry}. */
    String type();

    /**
     * Acquires {@code name} for {@code owner} for {@code lease}, waiting up to {@code wait}. An owner that already
     * holds the lock gets its lease reset and its existing token back.
     *
     * @return the grant, or empty when the wait ran out
     * @throws LockBackendException when the store cannot be reached; no lock is left behind for {@code owner}
     */
    Optional<Grant> acquire(String name, String owner, Duration lease, Duration wait) throws InterruptedException;

    /** Resets the lease of {@code owner}'s hold; false when {@code owner} does not hold {@code name} (any more). */
    boolean renew(String name, String owner, Duration lease);

    /** Releases {@code owner}'s hold; false when {@code owner} does not hold {@code name} (any more). */
    boolean release(String name, String owner);

    /** The current holder of {@code name}, or empty when it is free. */
    Optional<LockState> inspect(String name);

    @Override
    void close();

    /**
     * A successful acquisition.
     *
     * @param fencingToken strictly increasing per lock name across holders
     * @param waited whether the lock was busy at first and the caller had to wait
     */
    record Grant(long fencingToken, boolean waited) {
    }
}

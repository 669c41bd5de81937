package io.flotilla.lock.core;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A named lock shared by every process that uses the same backend. Reentrant per thread: a thread that holds it
 * may lock it again and must unlock it as many times. Every acquisition returns a fencing token that strictly
 * increases per lock name across holders; the protected resource must refuse writes carrying a token lower than
 * one it has already seen (see {@code io.flotilla.lock.fencing.JdbcFence}), because a holder can lose its lease
 * (a long pause, a network partition) without noticing in time.
 *
 * <p>Without a lease time the lock is held on the registry's default lease and a watchdog renews it while the
 * holding thread lives; with one, the lock simply expires after it.
 */
public interface DistributedLock {

    /** Name of the lock, as given to {@link LockRegistry#lock(String)}. */
    String name();

    /**
     * Waits as long as it takes, then holds the lock with watchdog renewal.
     *
     * @return the fencing token of this acquisition (the outer one's, when re-entered)
     */
    long lock() throws InterruptedException;

    /**
     * Tries to acquire within {@code waitTime}, then holds the lock with watchdog renewal.
     *
     * @return the fencing token, or empty when the wait ran out
     */
    OptionalLong tryLock(Duration waitTime) throws InterruptedException;

    /**
     * Tries to acquire within {@code waitTime} and holds the lock for {@code leaseTime} without renewal.
     *
     * @return the fencing token, or empty when the wait ran out
     */
    OptionalLong tryLock(Duration waitTime, Duration leaseTime) throws InterruptedException;

    /**
     * Releases one hold of the current thread; the last one releases the lock for other holders.
     *
     * @throws LockNotHeldException when the current thread does not hold the lock, or its lease was lost
     *         before this release (someone else may have held the lock meanwhile)
     */
    void unlock();

    /** Whether the current thread holds the lock and, as far as this process can tell, its lease is current. */
    boolean isHeldByCurrentThread();

    /**
     * The fencing token of the current thread's hold.
     *
     * @throws LockNotHeldException when the current thread does not hold the lock
     */
    long fencingToken();
}

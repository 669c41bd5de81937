package io.flotilla.lock.core;

import java.time.Duration;

/**
 * Who holds a lock right now.
 *
 * @param name the lock
 * @param owner the holder's owner value
 * @param fencingToken the holder's fencing token
 * @param remainingLease how long the lease has left, as the store saw it
 */
public record LockState(String name, String owner, long fencingToken, Duration remainingLease) {
}

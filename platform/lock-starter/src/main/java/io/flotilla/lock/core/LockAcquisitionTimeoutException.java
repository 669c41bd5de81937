package io.flotilla.lock.core;

import java.time.Duration;

/** A lock that could not be acquired within its wait time, where the caller has no way to return "not acquired". */
public class LockAcquisitionTimeoutException extends RuntimeException {

    private final String lockName;

    public LockAcquisitionTimeoutException(String lockName, Duration waited) {
        super("lock '" + lockName + "' was not acquired within " + waited);
        this.lockName = lockName;
    }

    public String lockName() {
        return lockName;
    }
}

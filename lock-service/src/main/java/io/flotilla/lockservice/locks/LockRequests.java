package io.flotilla.lockservice.locks;

import java.time.Duration;

/** The limits on lock requests, checked before anything is sent to the store. */
final class LockRequests {

    static final int MAX_NAME_LENGTH = 256;
    static final int MAX_OWNER_LENGTH = 256;
    static final Duration MAX_LEASE = Duration.ofHours(1);
    // A waiting request holds its connection (and a virtual thread); longer waits are better done by retrying.
    static final Duration MAX_WAIT = Duration.ofMinutes(1);

    private LockRequests() {
    }

    static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidLockRequestException("name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidLockRequestException("name must be at most " + MAX_NAME_LENGTH + " characters, got "
                    + name.length());
        }
        return name;
    }

    static String owner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new InvalidLockRequestException("owner is required");
        }
        if (owner.length() > MAX_OWNER_LENGTH) {
            throw new InvalidLockRequestException("owner must be at most " + MAX_OWNER_LENGTH + " characters, got "
                    + owner.length());
        }
        return owner;
    }

    static Duration lease(Long leaseMs) {
        if (leaseMs == null) {
            throw new InvalidLockRequestException("leaseMs is required: 1.." + MAX_LEASE.toMillis());
        }
        if (leaseMs <= 0 || leaseMs > MAX_LEASE.toMillis()) {
            throw new InvalidLockRequestException("leaseMs must be between 1 and " + MAX_LEASE.toMillis() + ", got "
                    + leaseMs);
        }
        return Duration.ofMillis(leaseMs);
    }

    static Duration waitTime(Long waitMs) {
        if (waitMs == null) {
            return Duration.ZERO;
        }
        if (waitMs < 0 || waitMs > MAX_WAIT.toMillis()) {
            throw new InvalidLockRequestException("waitMs must be between 0 and " + MAX_WAIT.toMillis() + ", got "
                    + waitMs);
        }
        return Duration.ofMillis(waitMs);
    }
}

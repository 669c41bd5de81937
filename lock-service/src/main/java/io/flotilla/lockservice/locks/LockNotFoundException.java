package io.flotilla.lockservice.locks;

/** Nobody holds the lock. */
public class LockNotFoundException extends RuntimeException {

    public LockNotFoundException(String name) {
        super("lock '" + name + "' is free");
    }
}

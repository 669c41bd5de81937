package io.flotilla.lock.core;

/** An unlock, or a question about the hold, from a thread or owner that does not hold the lock (any more). */
public class LockNotHeldException extends IllegalMonitorStateException {

    public LockNotHeldException(String message) {
        super(message);
    }
}

package io.flotilla.lock.redis;

import java.time.Duration;

import io.flotilla.lock.core.LockState;

/**
 * Redis keys of one lock. The name sits in a hash tag so the lock and its fence counter land in the same slot of
 * a Redis Cluster, as a script touching both requires.
 *
 * @param lock holds {@code <token>:<owner>} with the lease as its expiry
 * @param fence the per-name counter tokens come from; never expires, so tokens never go back
 * @param channel where releases are announced to waiters
 */
public record LockKeys(String lock, String fence, String channel) {

    public static LockKeys of(String prefix, String name) {
        String base = prefix + "{" + name + "}";
        return new LockKeys(base, base + ":fence", base + ":released");
    }

    /** Reads a lock value ({@code <token>:<owner>}) and its remaining milliseconds. */
    public static LockState state(String name, String value, long remainingMillis) {
        return new LockState(name, owner(value), token(value), Duration.ofMillis(Math.max(0, remainingMillis)));
    }

    /** Splits a lock value into its token and owner. */
    static long token(String value) {
        return Long.parseLong(value.substring(0, value.indexOf(':')));
    }

    static String owner(String value) {
        return value.substring(value.indexOf(':') + 1);
    }
}

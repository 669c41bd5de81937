package io.flotilla.lock.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts behind the Redis backends. A lock's value is {@code <fencing token>:<owner>}; every script that
 * changes a lock compares the owner part with the caller's own owner, so one holder can never release or extend
 * another's lock, even when a retried request arrives after the lock changed hands.
 */
public enum LockScript {

    /**
     * KEYS: lock, fence counter. ARGV: owner, lease ms. Returns {1, token} when granted (a fresh token from the
     * per-name counter, or the owner's existing one), else {0, remaining ms of the holder's lease}.
     */
    ACQUIRE("""
            local v = redis.call('GET', KEYS[1])
            if not v then
              local token = redis.call('INCR', KEYS[2])
              redis.call('SET', KEYS[1], token .. ':' .. ARGV[1], 'NX', 'PX', ARGV[2])
              return {1, token}
            end
            local sep = string.find(v, ':', 1, true)
            if string.sub(v, sep + 1) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return {1, tonumber(string.sub(v, 1, sep - 1))}
            end
            return {0, redis.call('PTTL', KEYS[1])}
            """),

    /** KEYS: lock. ARGV: owner, lease ms. Returns 1 when the owner's lease was reset, else 0. */
    RENEW("""
            local v = redis.call('GET', KEYS[1])
            if v and string.sub(v, string.find(v, ':', 1, true) + 1) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """),

    /**
     * KEYS: lock. ARGV: owner, wake-up channel. Deletes the lock and wakes one waiter per subscribed process when
     * the owner holds it; returns 1 then, else 0.
     */
    RELEASE("""
            local v = redis.call('GET', KEYS[1])
            if v and string.sub(v, string.find(v, ':', 1, true) + 1) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.call('PUBLISH', ARGV[2], '')
              return 1
            end
            return 0
            """),

    /** KEYS: lock. Returns {} when free, else {value, remaining ms}. */
    INSPECT("""
            local v = redis.call('GET', KEYS[1])
            if not v then
              return {}
            end
            return {v, redis.call('PTTL', KEYS[1])}
            """),

    /**
     * RedLock's second round. KEYS: lock, fence counter. ARGV: owner, token. Raises the counter to the token chosen
     * across the majority (so that any later majority, which shares a server with this one, issues a larger one)
     * and stamps the owner's value with it; returns 1 when the owner still holds the lock here, else 0.
     */
    RATCHET("""
            local current = tonumber(redis.call('GET', KEYS[2]) or '0')
            if current < tonumber(ARGV[2]) then
              redis.call('SET', KEYS[2], ARGV[2])
            end
            local v = redis.call('GET', KEYS[1])
            if v and string.sub(v, string.find(v, ':', 1, true) + 1) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2] .. ':' .. ARGV[1], 'KEEPTTL')
              return 1
            end
            return 0
            """);

    private final String source;
    private final String sha1;

    LockScript(String source) {
        this.source = source;
        this.sha1 = sha1(source);
    }

    public String source() {
        return source;
    }

    /** SHA-1 of the source, as EVALSHA expects. */
    public String sha1() {
        return sha1;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }
}

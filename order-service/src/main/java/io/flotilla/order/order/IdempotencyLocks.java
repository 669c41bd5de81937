package io.flotilla.order.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockNotHeldException;
import io.flotilla.lock.core.LockRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/** One distributed lock per Idempotency-Key, so copies of one request run one after the other on any replica. */
@Component
class IdempotencyLocks {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyLocks.class);

    private final LockRegistry locks;
    private final OrderProperties properties;

    IdempotencyLocks(LockRegistry locks, OrderProperties properties) {
        this.locks = locks;
        this.properties = properties;
    }

    /**
     * Runs {@code work} holding the key's lock. Throws {@link IdempotencyKeyBusyException} when another copy holds
     * it past the configured wait.
     */
    <T> T whileHolding(String idempotencyKey, Supplier<T> work) {
        // Keys are client text; the lock name must be a plain registry path, so it is a digest of the key.
        DistributedLock lock = locks.lock("order-key/" + digest(idempotencyKey));
        try {
            if (lock.tryLock(properties.idempotencyLockWait()).isEmpty()) {
                throw new IdempotencyKeyBusyException(idempotencyKey);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdempotencyKeyBusyException(idempotencyKey);
        }
        try {
            return work.get();
        }
        finally {
            unlock(lock);
        }
    }

    private static void unlock(DistributedLock lock) {
        try {
            lock.unlock();
        }
        catch (LockNotHeldException lost) {
            // The lease ran out during the work; the unique key kept the order single anyway.
            log.warn("Idempotency lock {} was lost before unlock: {}", lock.name(), lost.getMessage());
        }
    }

    private static String digest(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

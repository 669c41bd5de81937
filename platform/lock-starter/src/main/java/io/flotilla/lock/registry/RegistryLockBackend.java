package io.flotilla.lock.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockBackendException;
import io.flotilla.lock.core.LockState;
import io.flotilla.registry.client.Indexed;
import io.flotilla.registry.client.KvEntry;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.client.RegistryException;

/**
 * ZooKeeper-style locks on the registry's consistent core. Each acquisition grants its own lease (the session)
 * and creates a sequential key {@code <prefix><name>/<index>} attached to it, whose value is the owner. The
 * contender whose key sorts first holds the lock; every other one watches only the key just before its own with
 * a blocking query (no herd effect) and looks again when that key is gone. Waiters are therefore served in the
 * order they arrived. The fencing token is the key's {@code createIndex}, the Raft log index that created it,
 * which grows with every later key.
 *
 * <p>A holder that dies stops keeping its lease alive; the registry expires the lease and deletes the key, and the
 * next waiter's watch fires. An acquisition that fails or is interrupted revokes its lease, which deletes its key,
 * so no orphaned key is left queued (the Curator failure mode). Registry leases have whole-second TTLs, so a
 * lease is rounded up to the next second.
 */
public final class RegistryLockBackend implements LockBackend {

    private final RegistryClient client;
    private final String keyPrefix;
    private final Map<Acquisition, Held> held = new ConcurrentHashMap<>();

    /**
     * @param client the registry
     * @param keyPrefix prefix of the lock keys, for example {@code flotilla/locks/}
     */
    public RegistryLockBackend(RegistryClient client, String keyPrefix) {
        this.client = Objects.requireNonNull(client, "client");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public String type() {
        return "registry";
    }

    private record Acquisition(String name, String owner) {
    }

    /** What this process knows of a lock it acquired: found again by listing when another process asks. */
    private record Held(String key, long leaseId, long token) {
    }

    @Override
    public Optional<Grant> acquire(String name, String owner, Duration lease, Duration wait)
            throws InterruptedException {
        Acquisition acquisition = new Acquisition(name, owner);
        Held existing = held.get(acquisition);
        if (existing != null && call(() -> client.keepAlive(existing.leaseId()), name)) {
            return Optional.of(new Grant(existing.token(), false));
        }
        Duration ttl = Duration.ofSeconds(Math.max(1, (lease.toMillis() + 999) / 1000));
        long deadline = System.nanoTime() + wait.toNanos();
        long leaseId = call(() -> client.grantLease(ttl), name);
        try {
            return queueAndWait(acquisition, leaseId, ttl, deadline);
        } catch (LockBackendException e) {
            if (Thread.currentThread().isInterrupted()) {
                InterruptedException interrupted = new InterruptedException("interrupted while acquiring '" + name + "'");
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        } finally {
            if (!held.containsKey(acquisition) || held.get(acquisition).leaseId() != leaseId) {
                revokeQuietly(leaseId);
            }
        }
    }

    private Optional<Grant> queueAndWait(Acquisition acquisition, long leaseId, Duration ttl, long deadline)
            throws InterruptedException {
        String name = acquisition.name();
        String owner = acquisition.owner();
        KvEntry mine = call(() -> client.createSequential(directory(name),
                owner.getBytes(StandardCharsets.UTF_8), leaseId), name);
        boolean waited = false;
        long lastKeepAlive = System.nanoTime();
        while (true) {
            List<KvEntry> queue = call(() -> client.list(directory(name) + "/", QueryOptions.DEFAULT), name).value();
            int position = positionOf(queue, mine.key());
            if (position < 0) {
                throw new LockBackendException("lock '" + name + "': the waiting key " + mine.key()
                        + " vanished (its lease expired while waiting)");
            }
            if (position == 0) {
                Held hold = new Held(mine.key(), leaseId, mine.createIndex());
                held.put(acquisition, hold);
                return Optional.of(new Grant(hold.token(), waited));
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Optional.empty();
            }
            waited = true;
            // Waiting may outlast the lease: keep it alive while queued, as a ZooKeeper session would be.
            if (System.nanoTime() - lastKeepAlive > ttl.toNanos() / 3) {
                lastKeepAlive = System.nanoTime();
                call(() -> client.keepAlive(leaseId), name);
            }
            awaitGone(queue.get(position - 1).key(), Duration.ofNanos(Math.min(remaining, ttl.toNanos() / 3)), name);
        }
    }

    private void awaitGone(String predecessor, Duration maxWait, String name) throws InterruptedException {
        Indexed<Optional<KvEntry>> seen = call(() -> client.get(predecessor, QueryOptions.DEFAULT), name);
        if (seen.value().isEmpty() || maxWait.toMillis() < 1) {
            return;
        }
        long index = seen.index();
        call(() -> client.get(predecessor, QueryOptions.blockingAfter(index, maxWait)), name);
    }

    private static int positionOf(List<KvEntry> queue, String key) {
        for (int i = 0; i < queue.size(); i++) {
            if (queue.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean renew(String name, String owner, Duration lease) {
        Optional<Held> hold = holder(name, owner);
        return hold.isPresent() && call(() -> client.keepAlive(hold.get().leaseId()), name);
    }

    @Override
    public boolean release(String name, String owner) {
        Held known = held.remove(new Acquisition(name, owner));
        // A key this process was granted is the head for as long as it exists, so deleting it answers both.
        Optional<Held> hold = known != null ? Optional.of(known) : holder(name, owner);
        if (hold.isEmpty()) {
            return false;
        }
        boolean deleted = call(() -> client.delete(hold.get().key(), RegistryClient.ANY_VERSION), name);
        revokeQuietly(hold.get().leaseId());
        return deleted;
    }

    @Override
    public Optional<LockState> inspect(String name) {
        List<KvEntry> queue = call(() -> client.list(directory(name) + "/", QueryOptions.DEFAULT), name).value();
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        KvEntry head = queue.get(0);
        // The KV does not expose a lease's remaining time; report none rather than guess.
        return Optional.of(new LockState(name, head.valueAsString(), head.createIndex(), Duration.ZERO));
    }

    /** The owner's hold when it is the head of the queue, else empty. */
    private Optional<Held> holder(String name, String owner) {
        List<KvEntry> queue = call(() -> client.list(directory(name) + "/", QueryOptions.DEFAULT), name).value();
        if (queue.isEmpty() || !queue.get(0).valueAsString().equals(owner)) {
            return Optional.empty();
        }
        KvEntry head = queue.get(0);
        return Optional.of(new Held(head.key(), head.leaseId(), head.createIndex()));
    }

    private void revokeQuietly(long leaseId) {
        boolean interrupted = Thread.interrupted();
        try {
            client.revokeLease(leaseId);
        } catch (RegistryException e) {
            // The lease then expires by itself, taking the key with it.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Keys live under one directory per lock; a '/' in a lock name must not nest one lock inside another. */
    private String directory(String name) {
        return keyPrefix + name.replace("%", "%25").replace("/", "%2F");
    }

    private interface RegistryCall<T> {
        T run();
    }

    private static <T> T call(RegistryCall<T> registryCall, String name) {
        try {
            return registryCall.run();
        } catch (RegistryException e) {
            throw new LockBackendException("registry failed for lock '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        held.clear();
    }

    @Override
    public String toString() {
        return "RegistryLockBackend" + client.addresses() + " prefix " + keyPrefix;
    }
}

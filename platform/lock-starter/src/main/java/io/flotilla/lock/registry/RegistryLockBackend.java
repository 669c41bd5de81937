package io.flotilla.lock.registry;

import io.flotilla.registry.api.KvEntry;
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
import io.flotilla.registry.client.LeaseKeeper;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.client.RegistryException;
import io.flotilla.registry.client.SequentialKey;

/**
 * ZooKeeper-style locks on the registry's consistent core. Each acquisition creates a sequential key
 * {@code <prefix><name>/<index>}, attached to a lease, whose value is the owner. The contender whose key sorts
 * first holds the lock; every other one watches only the key just before its own with a blocking query (no herd
 * effect) and looks again when that key is gone, so waiters are served in the order they arrived. The fencing
 * token is the key's {@code createIndex}, the Raft log index that created it, which grows with every later key.
 *
 * <p>Two ways to attach the keys to leases:
 * <ul>
 * <li>{@link #perAcquisition} (the lock-service's owner-named locks): every acquisition grants its own lease of
 * the requested length, renewed by {@link #renew}; a client that stops renewing loses the lock.</li>
 * <li>{@link #withSession} (thread-bound locks in one process, like a ZooKeeper session): all keys of the process
 * hang on one session lease kept alive in the background. A lock then lives as long as its holder's process, up to
 * the session TTL after that process dies; lease times given to {@code acquire} are not enforced by the registry.
 * This takes two registry writes per lock and unlock instead of four.</li>
 * </ul>
 *
 * <p>A holder that dies stops keeping its lease alive; the registry expires it, deleting the key, and the next
 * waiter's watch fires. An acquisition that fails or is interrupted removes its key (revoking its own lease, or
 * deleting the key under a shared session), so no orphaned key stays queued (the Curator failure mode). Registry
 * leases have whole-second TTLs, so a lease is rounded up to the next second.
 */
public final class RegistryLockBackend implements LockBackend {

    private final RegistryClient client;
    private final String keyPrefix;
    private final Duration sessionTtl;
    private final Map<Acquisition, Held> held = new ConcurrentHashMap<>();
    private LeaseKeeper session;

    private RegistryLockBackend(RegistryClient client, String keyPrefix, Duration sessionTtl) {
        this.client = Objects.requireNonNull(client, "client");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.sessionTtl = sessionTtl;
    }

    /**
     * Each acquisition on its own lease of the requested length.
     *
     * @param client the registry
     * @param keyPrefix prefix of the lock keys, for example {@code flotilla/locks/}
     */
    public static RegistryLockBackend perAcquisition(RegistryClient client, String keyPrefix) {
        return new RegistryLockBackend(client, keyPrefix, null);
    }

    /**
     * All acquisitions on one session lease of this process.
     *
     * @param sessionTtl how long the locks of a dead process stay taken, at most; whole seconds, at least one
     */
    public static RegistryLockBackend withSession(RegistryClient client, String keyPrefix, Duration sessionTtl) {
        if (sessionTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("session TTL must be at least one second, got " + sessionTtl);
        }
        return new RegistryLockBackend(client, keyPrefix, sessionTtl);
    }

    @Override
    public String type() {
        return "registry";
    }

    private record Acquisition(String name, String owner) {
    }

    /** A lock this process was granted: its key is the head of the queue for as long as the key exists. */
    private record Held(String key, long leaseId, long token) {
    }

    @Override
    public Optional<Grant> acquire(String name, String owner, Duration lease, Duration wait)
            throws InterruptedException {
        Acquisition acquisition = new Acquisition(name, owner);
        Held existing = held.get(acquisition);
        if (existing != null && leaseAlive(existing.leaseId(), name)) {
            return Optional.of(new Grant(existing.token(), false));
        }
        Duration ttl = sessionTtl != null ? sessionTtl : Duration.ofSeconds(Math.max(1, (lease.toMillis() + 999) / 1000));
        long deadline = System.nanoTime() + wait.toNanos();
        long leaseId = sessionTtl != null ? session().leaseId() : call(() -> client.grantLease(ttl), name);
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
            Held granted = held.get(acquisition);
            if (granted == null || granted.leaseId() != leaseId) {
                abandon(acquisition, leaseId);
            }
        }
    }

    private Optional<Grant> queueAndWait(Acquisition acquisition, long leaseId, Duration ttl, long deadline)
            throws InterruptedException {
        String name = acquisition.name();
        // The create answers with the key just before ours: when there is none we hold the lock, so an
        // uncontended acquisition is one registry write and no read.
        SequentialKey created = call(() -> client.createSequential(directory(name),
                acquisition.owner().getBytes(StandardCharsets.UTF_8), leaseId), name);
        KvEntry mine = created.entry();
        String predecessor = created.predecessor().orElse(null);
        // The index at which the predecessor was last seen: its watch answers once its index passes this.
        long seenAt = mine.createIndex();
        long lastKeepAlive = System.nanoTime();
        while (predecessor != null) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Optional.empty();
            }
            // Waiting may outlast an acquisition's own lease: keep it alive while queued (a session is kept alive
            // by its keeper).
            if (sessionTtl == null && System.nanoTime() - lastKeepAlive > ttl.toNanos() / 3) {
                lastKeepAlive = System.nanoTime();
                call(() -> client.keepAlive(leaseId), name);
            }
            awaitChange(predecessor, seenAt, mine.createIndex(),
                    Duration.ofNanos(Math.min(remaining, ttl.toNanos() / 3)), name);
            // The predecessor going does not make us the head: it may have been a contender that gave up, not the
            // holder. Look at the queue again, as ZooKeeper's recipe does, and watch whoever is now before us.
            List<KvEntry> queue = queueSince(name, mine.createIndex());
            int position = positionOf(queue, mine.key());
            if (position < 0) {
                throw new LockBackendException("lock '" + name + "': the waiting key " + mine.key()
                        + " vanished (its lease expired while waiting)");
            }
            predecessor = position == 0 ? null : queue.get(position - 1).key();
            seenAt = position == 0 ? 0 : queue.get(position - 1).modIndex();
        }
        held.put(acquisition, new Held(mine.key(), leaseId, mine.createIndex()));
        return Optional.of(new Grant(mine.createIndex(), !created.first()));
    }

    /** Removes what a failed, timed-out or interrupted acquisition may have left queued. */
    private void abandon(Acquisition acquisition, long leaseId) {
        boolean interrupted = Thread.interrupted();
        try {
            if (sessionTtl == null) {
                client.revokeLease(leaseId);
            } else {
                // The session is shared: find this acquisition's key by its owner value (also covers a create
                // whose answer was lost) and delete only that.
                for (KvEntry entry : queue(acquisition.name())) {
                    if (entry.valueAsString().equals(acquisition.owner())) {
                        client.delete(entry.key(), RegistryClient.ANY_VERSION);
                    }
                }
            }
        } catch (RuntimeException e) {
            // The key then goes when its lease does.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized LeaseKeeper session() {
        if (session == null || !session.isHeld()) {
            if (session != null) {
                session.close();
            }
            session = call(() -> LeaseKeeper.grant(client, sessionTtl), "(session)");
        }
        return session;
    }

    private boolean leaseAlive(long leaseId, String name) {
        if (sessionTtl != null) {
            synchronized (this) {
                return session != null && session.leaseId() == leaseId && session.isHeld();
            }
        }
        return call(() -> client.keepAlive(leaseId), name);
    }

    /**
     * Blocks until {@code key}'s index passes {@code seenAt} (it changed or went: only its own changes move one
     * key's index) or {@code maxWait} runs out. One request: no read before the watch. Read-your-writes at
     * {@code mine} rather than linearizable, for the reason given at {@link #queueSince}.
     */
    private void awaitChange(String key, long seenAt, long mine, Duration maxWait, String name) {
        if (maxWait.toMillis() < 1) {
            return;
        }
        call(() -> client.get(key, QueryOptions.blockingAfter(seenAt, maxWait).withMinIndex(mine)), name);
    }

    /**
     * The queue as the answering node has applied it, at least up to {@code mine} (the waiter's own key, so the
     * answer contains it unless it is gone). A waiter needs no linearizable read (a ReadIndex round to a quorum on
     * every wake-up): keys leave the queue only by committed deletes, so any applied state in which no key sorts
     * before ours is one in which every earlier contender had truly gone. A state behind the leader can only show
     * a predecessor that has already left, which delays the grant and never advances it; the holder's own key
     * vanishing later (its lease expiring) is what the fencing token is for, as it is with a linearizable read.
     */
    private List<KvEntry> queueSince(String name, long mine) {
        return call(() -> client.list(directory(name) + "/", QueryOptions.DEFAULT.withMinIndex(mine)), name).value();
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
        Held known = held.get(new Acquisition(name, owner));
        if (known != null) {
            return leaseAlive(known.leaseId(), name);
        }
        Optional<Held> hold = holder(name, owner);
        return hold.isPresent() && call(() -> client.keepAlive(hold.get().leaseId()), name);
    }

    @Override
    public boolean release(String name, String owner) {
        Held known = held.remove(new Acquisition(name, owner));
        Optional<Held> hold = known != null ? Optional.of(known) : holder(name, owner);
        if (hold.isEmpty()) {
            return false;
        }
        // A granted key is the head for as long as it exists, so whether the delete found it says whether the
        // owner still held the lock.
        boolean deleted = call(() -> client.delete(hold.get().key(), RegistryClient.ANY_VERSION), name);
        if (sessionTtl == null) {
            try {
                client.revokeLease(hold.get().leaseId());
            } catch (RegistryException e) {
                // Unused now; it expires by itself.
            }
        }
        return deleted;
    }

    @Override
    public Optional<LockState> inspect(String name) {
        List<KvEntry> queue = queue(name);
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        KvEntry head = queue.get(0);
        // The KV does not expose a lease's remaining time; report none rather than guess.
        return Optional.of(new LockState(name, head.valueAsString(), head.createIndex(), Duration.ZERO));
    }

    /** The owner's hold when it is the head of the queue, else empty. */
    private Optional<Held> holder(String name, String owner) {
        List<KvEntry> queue = queue(name);
        if (queue.isEmpty() || !queue.get(0).valueAsString().equals(owner)) {
            return Optional.empty();
        }
        KvEntry head = queue.get(0);
        return Optional.of(new Held(head.key(), head.leaseId(), head.createIndex()));
    }

    private List<KvEntry> queue(String name) {
        return call(() -> client.list(directory(name) + "/", QueryOptions.DEFAULT), name).value();
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

    /** Ends the session, if any, which deletes the keys still attached to it. */
    @Override
    public synchronized void close() {
        held.clear();
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public String toString() {
        return "RegistryLockBackend" + client.addresses() + " prefix " + keyPrefix
                + (sessionTtl != null ? ", session " + sessionTtl : ", lease per acquisition");
    }
}

package io.flotilla.registry.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A lease kept alive in the background: the session behind registry-leased worker ids and ZooKeeper-style locks.
 * Attach keys to {@link #leaseId()}; they vanish with the lease.
 *
 * <p>
 * Keep-alives go every third of the TTL. The lease counts as held until {@code TTL - safety margin} after the
 * <em>sending</em> of the last acknowledged keep-alive: the registry's deadline was set no earlier than that, so
 * {@link #isHeld()} turns {@code false} before the registry can expire the lease and hand its keys to someone
 * else. Once lost (that time passed, or a keep-alive found the lease gone) it stays lost: the keeper stops, revokes
 * the lease as far as it still can, and calls the {@link #onLost(Runnable) loss listeners} once.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(LeaseKeeper.class.getName());

    private final RegistryClient client;

    private final long leaseId;

    private final long ttlNanos;

    private final long safetyNanos;

    private final Duration interval;

    private final List<Runnable> lossListeners = new ArrayList<>();

    private final Thread thread;

    /** {@link System#nanoTime()} until which the lease certainly exists on the registry. */
    private volatile long heldUntilNanos;

    private volatile boolean lost;

    private volatile boolean closed;

    private boolean lossNotified;

    private LeaseKeeper(RegistryClient client, long leaseId, Duration ttl, long grantSentNanos) {
        this.client = client;
        this.leaseId = leaseId;
        this.ttlNanos = ttl.toNanos();
        // A fifth of the TTL absorbs clock-rate differences and a pause between a check and its use.
        this.safetyNanos = this.ttlNanos / 5;
        this.interval = ttl.dividedBy(3);
        this.heldUntilNanos = grantSentNanos + this.ttlNanos - this.safetyNanos;
        this.thread = Thread.ofVirtual().name("flotilla-lease-" + leaseId).unstarted(this::run);
    }

    /**
     * Grants a lease and starts keeping it alive.
     *
     * @param client the registry client
     * @param ttl the lease's TTL, whole seconds, at least one
     * @return the running keeper
     */
    public static LeaseKeeper grant(RegistryClient client, Duration ttl) {
        long sent = System.nanoTime();
        long leaseId = client.grantLease(ttl);
        LeaseKeeper keeper = new LeaseKeeper(client, leaseId, Duration.ofSeconds(ttl.toSeconds()), sent);
        keeper.thread.start();
        return keeper;
    }

    /** @return the lease id to attach keys and instances to */
    public long leaseId() {
        return this.leaseId;
    }

    /** @return whether the lease is certainly still alive on the registry; cheap enough to call per operation */
    public boolean isHeld() {
        if (this.lost) {
            return false;
        }
        if (System.nanoTime() - this.heldUntilNanos >= 0) {
            this.lost = true;
            return false;
        }
        return true;
    }

    /**
     * Registers a listener called once, on the keeper's thread, when the lease is found lost (not on
     * {@link #close()}). A listener added after the loss is called at once.
     */
    public void onLost(Runnable listener) {
        boolean alreadyLost;
        synchronized (this) {
            this.lossListeners.add(listener);
            alreadyLost = this.lossNotified;
        }
        if (alreadyLost) {
            notifyLost(List.of(listener));
        }
    }

    private void run() {
        while (!this.closed) {
            long untilExpiry = this.heldUntilNanos - System.nanoTime();
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, Math.min(this.interval.toNanos(), untilExpiry))));
            }
            catch (InterruptedException ex) {
                return;
            }
            if (!isHeld()) {
                break;
            }
            long sent = System.nanoTime();
            try {
                if (this.client.keepAlive(this.leaseId)) {
                    this.heldUntilNanos = sent + this.ttlNanos - this.safetyNanos;
                }
                else {
                    this.lost = true;
                }
            }
            catch (RuntimeException ex) {
                if (this.closed) {
                    return;
                }
                LOGGER.log(System.Logger.Level.WARNING, "Keep-alive of lease {0} failed: {1}", this.leaseId,
                        ex.getMessage());
            }
        }
        if (this.closed) {
            return;
        }
        LOGGER.log(System.Logger.Level.WARNING, "Lease {0} is lost; everything attached to it is released",
                this.leaseId);
        revokeQuietly();
        List<Runnable> listeners;
        synchronized (this) {
            this.lossNotified = true;
            listeners = List.copyOf(this.lossListeners);
        }
        notifyLost(listeners);
    }

    private void notifyLost(List<Runnable> listeners) {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            }
            catch (RuntimeException ex) {
                LOGGER.log(System.Logger.Level.WARNING, "Loss listener of lease " + this.leaseId + " failed", ex);
            }
        }
    }

    private void revokeQuietly() {
        try {
            this.client.revokeLease(this.leaseId);
        }
        catch (RuntimeException ex) {
            LOGGER.log(System.Logger.Level.DEBUG, "Could not revoke lease {0}: {1}", this.leaseId, ex.getMessage());
        }
    }

    /** Stops the keep-alives and revokes the lease, deleting everything attached to it. */
    @Override
    public void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.lost = true;
        this.thread.interrupt();
        revokeQuietly();
    }
}

package io.flotilla.lock.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-bound, reentrant {@link DistributedLock}s over any {@link LockBackend}.
 *
 * <p>Each acquisition gets its own owner value ({@code <process id>:<thread id>:<sequence>}), so a release or
 * renewal can only ever touch the acquisition that issued it. Renewal runs on the registry's own single-thread
 * scheduler (not a shared pool that application work can starve), every third of the lease; it stops on the last
 * unlock, when a renewal finds the lease gone, and when the holding thread has died, so a lock whose holder is
 * gone expires within its lease instead of being kept alive forever.
 */
public final class DefaultLockRegistry implements LockRegistry {

    private static final Logger log = LoggerFactory.getLogger(DefaultLockRegistry.class);

    private final LockBackend backend;
    private final Duration defaultLease;
    private final LockListener listener;
    private final String processId;
    private final AtomicLong acquisitions = new AtomicLong();
    private final Map<HoldKey, Hold> holds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;

    /**
     * @param backend where the locks live
     * @param defaultLease lease of locks taken without a lease time; the watchdog renews it every third
     * @param listener told about acquisitions, timeouts and lost leases
     */
    public DefaultLockRegistry(LockBackend backend, Duration defaultLease, LockListener listener) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (defaultLease.toMillis() < 30) {
            throw new IllegalArgumentException("default lease must be at least 30 ms, got " + defaultLease);
        }
        this.defaultLease = defaultLease;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.processId = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "flotilla-lock-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        // Most holds end long before their first renewal; drop their cancelled tasks at once instead of keeping
        // them queued for a third of a lease.
        scheduler.setRemoveOnCancelPolicy(true);
        this.watchdog = scheduler;
    }

    public DefaultLockRegistry(LockBackend backend, Duration defaultLease) {
        this(backend, defaultLease, LockListener.NONE);
    }

    @Override
    public DistributedLock lock(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("lock name must not be empty");
        }
        return new ThreadBoundLock(name);
    }

    /** The backend the locks live in. */
    public LockBackend backend() {
        return backend;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    private record HoldKey(String name, long threadId) {
    }

    /** One thread's hold of one lock; {@code count} and the fields are touched only by that thread, except lost. */
    private static final class Hold {

        final String owner;
        final long fencingToken;
        final long leaseEndsAtNanos;
        final boolean renewed;
        int count = 1;
        ScheduledFuture<?> renewal;
        volatile boolean lost;
        volatile boolean released;

        Hold(String owner, long fencingToken, long leaseEndsAtNanos, boolean renewed) {
            this.owner = owner;
            this.fencingToken = fencingToken;
            this.leaseEndsAtNanos = leaseEndsAtNanos;
            this.renewed = renewed;
        }

        boolean current() {
            return !lost && (renewed || System.nanoTime() - leaseEndsAtNanos < 0);
        }
    }

    private final class ThreadBoundLock implements DistributedLock {

        private final String name;

        ThreadBoundLock(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long lock() throws InterruptedException {
            return acquire(null, null).orElseThrow();
        }

        @Override
        public OptionalLong tryLock(Duration waitTime) throws InterruptedException {
            return acquire(Objects.requireNonNull(waitTime, "waitTime"), null);
        }

        @Override
        public OptionalLong tryLock(Duration waitTime, Duration leaseTime) throws InterruptedException {
            Objects.requireNonNull(leaseTime, "leaseTime");
            if (leaseTime.isNegative() || leaseTime.isZero()) {
                throw new IllegalArgumentException("lease time must be positive, got " + leaseTime);
            }
            return acquire(Objects.requireNonNull(waitTime, "waitTime"), leaseTime);
        }

        /** {@code waitTime} null: wait forever; {@code leaseTime} null: default lease with watchdog renewal. */
        private OptionalLong acquire(Duration waitTime, Duration leaseTime) throws InterruptedException {
            Thread thread = Thread.currentThread();
            HoldKey key = new HoldKey(name, thread.threadId());
            Hold held = holds.get(key);
            if (held != null) {
                if (!held.current()) {
                    throw new LockNotHeldException("lock '" + name + "' is held by this thread but its lease was lost"
                            + "; unlock it before locking it again");
                }
                held.count++;
                return OptionalLong.of(held.fencingToken);
            }
            Duration lease = leaseTime != null ? leaseTime : defaultLease;
            Duration wait = waitTime != null ? waitTime : Duration.ofDays(365);
            String owner = processId + ":" + thread.threadId() + ":" + acquisitions.incrementAndGet();
            long startedAt = System.nanoTime();
            var grant = backend.acquire(name, owner, lease, wait);
            Duration latency = Duration.ofNanos(System.nanoTime() - startedAt);
            if (grant.isEmpty()) {
                listener.timedOut(backend.type(), latency);
                return OptionalLong.empty();
            }
            listener.acquired(backend.type(), latency, grant.get().waited());
            // The lease is counted from before the request was sent: the store's clock started no earlier.
            Hold hold = new Hold(owner, grant.get().fencingToken(), startedAt + lease.toNanos(), leaseTime == null);
            holds.put(key, hold);
            if (hold.renewed) {
                long period = Math.max(10, lease.toMillis() / 3);
                hold.renewal = watchdog.scheduleWithFixedDelay(() -> renew(hold, thread, lease), period, period,
                        TimeUnit.MILLISECONDS);
            }
            return OptionalLong.of(hold.fencingToken);
        }

        private void renew(Hold hold, Thread holder, Duration lease) {
            if (!holder.isAlive()) {
                log.warn("Thread {} died holding lock '{}'; renewal stopped, the lock expires within {}",
                        holder.getName(), name, lease);
                hold.renewal.cancel(false);
                holds.remove(new HoldKey(name, holder.threadId()), hold);
                return;
            }
            try {
                if (!backend.renew(name, hold.owner, lease) && !hold.released) {
                    hold.lost = true;
                    hold.renewal.cancel(false);
                    listener.leaseLost(backend.type(), name);
                    log.warn("Lease of lock '{}' (token {}) was lost before renewal", name, hold.fencingToken);
                }
            } catch (RuntimeException e) {
                // A failed renewal is retried on the next tick; if the lease runs out meanwhile, that renewal
                // finds it gone and marks the hold lost.
                log.warn("Could not renew lock '{}': {}", name, e.toString());
            }
        }

        @Override
        public void unlock() {
            HoldKey key = new HoldKey(name, Thread.currentThread().threadId());
            Hold hold = holds.get(key);
            if (hold == null) {
                throw new LockNotHeldException("lock '" + name + "' is not held by the current thread");
            }
            if (--hold.count > 0) {
                return;
            }
            holds.remove(key);
            hold.released = true;
            if (hold.renewal != null) {
                hold.renewal.cancel(false);
            }
            boolean released = !hold.lost && backend.release(name, hold.owner);
            if (!released) {
                if (!hold.lost) {
                    listener.leaseLost(backend.type(), name);
                }
                throw new LockNotHeldException("lease of lock '" + name + "' (fencing token " + hold.fencingToken
                        + ") ran out before unlock; another holder may have taken it meanwhile");
            }
        }

        @Override
        public boolean isHeldByCurrentThread() {
            Hold hold = holds.get(new HoldKey(name, Thread.currentThread().threadId()));
            return hold != null && hold.current();
        }

        @Override
        public long fencingToken() {
            Hold hold = holds.get(new HoldKey(name, Thread.currentThread().threadId()));
            if (hold == null) {
                throw new LockNotHeldException("lock '" + name + "' is not held by the current thread");
            }
            return hold.fencingToken;
        }

        @Override
        public String toString() {
            return "DistributedLock[" + name + " on " + backend.type() + "]";
        }
    }
}

package io.flotilla.registryservice.lease;

import io.flotilla.raft.LeadershipListener;
import io.flotilla.registryservice.state.Instance;
import io.flotilla.registryservice.state.RegistryChangeListener;
import io.flotilla.registryservice.state.RegistryValidation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Leader-local lease deadlines. Keep-alives only move a deadline in memory here, so a heartbeat costs no log
 * write; when deadlines pass, the leader proposes {@code ExpireLeases} and the log deletes what the leases held.
 *
 * <p>Every node tracks every lease (id and TTL, from the state machine's events) so that a node that becomes
 * leader can start timing at once: on {@link #onBecameLeader} every lease's TTL restarts from now, because the
 * keep-alives the old leader saw are unknown here. An instance therefore never expires before its TTL since its
 * last heartbeat, whatever happens to leadership; it may live up to one TTL longer across a failover.
 *
 * <p>Time comes from an injected clock and {@link #expireDue()} is called by a scheduler (see
 * {@link LeaseExpiryScheduler}), so tests drive it without sleeping.
 */
public final class LeaseTimers implements LeadershipListener, RegistryChangeListener {

    private final LongSupplier nowMillis;
    private final Function<List<Long>, CompletableFuture<?>> proposeExpiry;
    private final Map<Long, Lease> leases = new ConcurrentHashMap<>();
    private final Map<String, Long> instanceLeases = new ConcurrentHashMap<>();
    /** Leases whose expiry is proposed and not yet answered, so one passing deadline is proposed once. */
    private final Set<Long> proposed = ConcurrentHashMap.newKeySet();
    private volatile boolean leader;

    /**
     * @param nowMillis     a monotonic clock in milliseconds
     * @param proposeExpiry submits {@code ExpireLeases(ids)} through Raft
     */
    public LeaseTimers(LongSupplier nowMillis, Function<List<Long>, CompletableFuture<?>> proposeExpiry) {
        this.nowMillis = nowMillis;
        this.proposeExpiry = proposeExpiry;
    }

    /** What a keep-alive found. */
    public enum KeepAlive {
        /** The deadline moved to now + TTL. */
        RENEWED,
        /** No such lease (expired, revoked, never granted): the client must register again. */
        UNKNOWN,
        /** This node is not the leader; only the leader keeps deadlines. */
        NOT_LEADER
    }

    public KeepAlive keepAlive(long leaseId) {
        if (!leader) {
            return KeepAlive.NOT_LEADER;
        }
        Lease lease = leases.get(leaseId);
        if (lease == null) {
            return KeepAlive.UNKNOWN;
        }
        lease.deadline = nowMillis.getAsLong() + lease.ttlMillis;
        return KeepAlive.RENEWED;
    }

    /** The lease holding {@code service/instanceId}, if it is registered with one. */
    public OptionalLong leaseOf(String service, String instanceId) {
        Long leaseId = instanceLeases.get(service + "/" + instanceId);
        return leaseId == null ? OptionalLong.empty() : OptionalLong.of(leaseId);
    }

    /** TTL of a lease this node knows, in milliseconds. */
    public OptionalLong ttlMillis(long leaseId) {
        Lease lease = leases.get(leaseId);
        return lease == null ? OptionalLong.empty() : OptionalLong.of(lease.ttlMillis);
    }

    /** Milliseconds until the lease expires on this leader; empty when not leader or unknown. */
    public OptionalLong remainingMillis(long leaseId) {
        Lease lease = leases.get(leaseId);
        if (!leader || lease == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, lease.deadline - nowMillis.getAsLong()));
    }

    public boolean isLeader() {
        return leader;
    }

    /**
     * On the leader, proposes the expiry of every lease whose deadline has passed (in batches the state machine
     * accepts). A failed proposal is retried on a later call. Returns how many leases were proposed.
     */
    public int expireDue() {
        if (!leader) {
            return 0;
        }
        long now = nowMillis.getAsLong();
        List<Long> due = new ArrayList<>();
        leases.forEach((id, lease) -> {
            if (lease.deadline <= now && !proposed.contains(id)) {
                due.add(id);
            }
        });
        due.sort(null);
        for (int from = 0; from < due.size(); from += RegistryValidation.MAX_EXPIRED_LEASES_PER_COMMAND) {
            List<Long> batch = List.copyOf(due.subList(from,
                    Math.min(due.size(), from + RegistryValidation.MAX_EXPIRED_LEASES_PER_COMMAND)));
            proposed.addAll(batch);
            proposeExpiry.apply(batch).whenComplete((result, failure) -> batch.forEach(proposed::remove));
        }
        return due.size();
    }

    @Override
    public void onBecameLeader(long term) {
        long now = nowMillis.getAsLong();
        leases.values().forEach(lease -> lease.deadline = now + lease.ttlMillis);
        leader = true;
    }

    @Override
    public void onLostLeadership(long term) {
        leader = false;
    }

    @Override
    public void serviceChanged(long index, String service) {
    }

    @Override
    public void keyChanged(long index, String key) {
    }

    @Override
    public void leaseGranted(long leaseId, long ttlMillis) {
        leases.put(leaseId, new Lease(ttlMillis, nowMillis.getAsLong() + ttlMillis));
    }

    @Override
    public void leaseRemoved(long leaseId) {
        leases.remove(leaseId);
    }

    @Override
    public void instanceRegistered(Instance instance) {
        String ref = instance.service() + "/" + instance.instanceId();
        if (instance.leaseId() == 0) {
            instanceLeases.remove(ref);
        } else {
            instanceLeases.put(ref, instance.leaseId());
        }
    }

    @Override
    public void instanceRemoved(String service, String instanceId) {
        instanceLeases.remove(service + "/" + instanceId);
    }

    @Override
    public void restored(Map<Long, Long> leaseTtls, List<Instance> instances) {
        long now = nowMillis.getAsLong();
        leases.clear();
        leaseTtls.forEach((id, ttl) -> leases.put(id, new Lease(ttl, now + ttl)));
        instanceLeases.clear();
        instances.forEach(this::instanceRegistered);
    }

    /** How many leases this node tracks. */
    public int size() {
        return leases.size();
    }

    private static final class Lease {
        final long ttlMillis;
        volatile long deadline;

        Lease(long ttlMillis, long deadline) {
            this.ttlMillis = ttlMillis;
            this.deadline = deadline;
        }
    }
}

package io.flotilla.registry.id;

import io.flotilla.registry.api.KvEntry;
import io.flotilla.id.core.IdLayout;
import io.flotilla.id.core.WorkerId;
import io.flotilla.id.core.WorkerIdProvider;
import io.flotilla.id.core.WorkerLease;
import io.flotilla.registry.client.LeaseKeeper;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Leases a worker slot from the registry: the slot is the first worker id whose key
 * {@code <prefix><datacenterId>/<workerId>} is free, taken by a create-only compare-and-set attached to a lease
 * that a {@link LeaseKeeper} keeps alive. Two nodes racing for one slot cannot both win the create-only write; the
 * loser moves on to the next id. The lease (and so the key) ends when the generator closes, or when keep-alives
 * stop; {@link WorkerLease#isHeld()} turns {@code false} before the registry can expire it, so the generator stops
 * issuing before another node can take the slot, and then calls {@link #acquire} again for a new slot: a slot whose
 * key the lost lease still holds on the registry is not free, so it is not granted again until that key is gone.
 */
public class RegistryWorkerIdProvider implements WorkerIdProvider {

    private static final System.Logger LOGGER = System.getLogger(RegistryWorkerIdProvider.class.getName());

    private final RegistryClient client;

    private final String keyPrefix;

    private final int datacenterId;

    private final Duration leaseTtl;

    private final String owner;

    /**
     * @param client the registry client
     * @param keyPrefix prefix of the slot keys, e.g. {@code /flotilla/id/workers/}
     * @param datacenterId this node's datacenter id (configured; only the worker id is leased)
     * @param leaseTtl TTL of the slot's lease; issuing stops within it when the registry becomes unreachable
     * @param owner stored as the key's value, to tell operators who holds a slot
     */
    public RegistryWorkerIdProvider(RegistryClient client, String keyPrefix, int datacenterId, Duration leaseTtl,
            String owner) {
        this.client = Objects.requireNonNull(client, "client");
        this.keyPrefix = keyPrefix.endsWith("/") ? keyPrefix : keyPrefix + "/";
        this.datacenterId = datacenterId;
        this.leaseTtl = leaseTtl;
        this.owner = owner;
    }

    @Override
    public WorkerLease acquire(IdLayout layout) {
        new WorkerId(this.datacenterId, 0).requireFits(layout);
        String datacenterPrefix = this.keyPrefix + this.datacenterId + "/";
        LeaseKeeper lease = LeaseKeeper.grant(this.client, this.leaseTtl);
        try {
            Set<Integer> taken = new HashSet<>();
            for (KvEntry entry : this.client.list(datacenterPrefix, QueryOptions.DEFAULT).value()) {
                parseWorkerId(entry.key().substring(datacenterPrefix.length())).ifPresent(taken::add);
            }
            byte[] value = this.owner.getBytes(StandardCharsets.UTF_8);
            for (int workerId = 0; workerId <= layout.maxWorkerId(); workerId++) {
                if (taken.contains(workerId)) {
                    continue;
                }
                String key = datacenterPrefix + workerId;
                if (this.client.put(key, value, RegistryClient.CREATE_ONLY, lease.leaseId()).isPresent()) {
                    WorkerId slot = new WorkerId(this.datacenterId, workerId);
                    LOGGER.log(System.Logger.Level.INFO, "Leased worker slot {0} (key {1}, lease {2})", slot, key,
                            lease.leaseId());
                    return new RegistryWorkerLease(slot, lease, key);
                }
            }
            throw new IllegalStateException("No free worker slot under " + datacenterPrefix + ": all "
                    + (layout.maxWorkerId() + 1) + " worker ids of datacenter " + this.datacenterId + " are leased");
        }
        catch (RuntimeException ex) {
            lease.close();
            throw ex;
        }
    }

    private static Optional<Integer> parseWorkerId(String suffix) {
        try {
            return Optional.of(Integer.parseInt(suffix));
        }
        catch (NumberFormatException ex) {
            return Optional.empty();
        }
    }

    /** A slot held through a kept-alive registry lease; closing revokes the lease, which frees the key. */
    static final class RegistryWorkerLease implements WorkerLease {

        private final WorkerId workerId;

        private final LeaseKeeper lease;

        private final String key;

        RegistryWorkerLease(WorkerId workerId, LeaseKeeper lease, String key) {
            this.workerId = workerId;
            this.lease = lease;
            this.key = key;
            lease.onLost(() -> LOGGER.log(System.Logger.Level.ERROR,
                    "Lost the lease on worker slot {0} (key {1}); the id generator stops issuing until it leases a slot "
                            + "again", workerId, key));
        }

        @Override
        public void onLost(Runnable listener) {
            this.lease.onLost(listener);
        }

        @Override
        public WorkerId workerId() {
            return this.workerId;
        }

        @Override
        public boolean isHeld() {
            return this.lease.isHeld();
        }

        /** @return the registry lease behind the slot */
        long leaseId() {
            return this.lease.leaseId();
        }

        @Override
        public void close() {
            this.lease.close();
        }

        @Override
        public String toString() {
            return "RegistryWorkerLease[" + this.workerId + ", key " + this.key + ", lease " + this.lease.leaseId()
                    + "]";
        }
    }
}

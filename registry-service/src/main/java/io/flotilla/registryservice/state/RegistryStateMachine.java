package io.flotilla.registryservice.state;

import io.flotilla.registry.api.KvEntry;

import io.flotilla.raft.StateMachine;
import io.flotilla.raft.codec.BinaryReader;
import io.flotilla.raft.codec.BinaryWriter;
import io.flotilla.raft.codec.MalformedMessageException;
import io.flotilla.registryservice.state.command.RegistryCodec;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryCommand.DeregisterInstance;
import io.flotilla.registryservice.state.command.RegistryCommand.ExpireLeases;
import io.flotilla.registryservice.state.command.RegistryCommand.GrantLease;
import io.flotilla.registryservice.state.command.RegistryCommand.KvCreateSequential;
import io.flotilla.registryservice.state.command.RegistryCommand.KvDelete;
import io.flotilla.registryservice.state.command.RegistryCommand.KvPut;
import io.flotilla.registryservice.state.command.RegistryCommand.RegisterInstance;
import io.flotilla.registryservice.state.command.RegistryCommand.RevokeLease;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.state.command.RegistryResult;
import io.flotilla.registryservice.state.command.RegistryResult.Ok;
import io.flotilla.registryservice.state.command.RegistryResult.Reason;
import io.flotilla.registryservice.state.command.RegistryResult.Refused;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The registry's replicated state: service instances, leases and the consistent-core KV.
 *
 * <p>Deterministic: ids and versions are log indexes, every collection is sorted, nothing reads a clock.
 * A refused command changes nothing, not even an index, so equal histories give equal snapshot bytes.
 *
 * <p>Indexes for blocking queries: a service's index is the log index of its last change, a deletion
 * included (kept after the service's last instance is gone, so a watcher sees the removal). One key's index is
 * its modIndex while it exists and the index of the last KV deletion anywhere while it does not (as Consul's), so
 * it grows when that key changes or goes and not when other keys do. A prefix read's index is the largest
 * modIndex among the keys it returns and the index of the last KV deletion anywhere: one global deletion index
 * may answer a prefix watcher for nothing, but never misses a change.
 */
public final class RegistryStateMachine implements StateMachine {

    private static final int SNAPSHOT_VERSION = 1;

    private final RegistryChangeListener listener;

    private final TreeMap<String, TreeMap<String, Instance>> services = new TreeMap<>();
    private final TreeMap<String, Long> serviceIndexes = new TreeMap<>();
    private final TreeMap<Long, LeaseState> leases = new TreeMap<>();
    private final TreeMap<String, KvEntry> kv = new TreeMap<>();
    private long servicesIndex;
    private long kvDeleteIndex;
    private long lastChangeIndex;

    public RegistryStateMachine() {
        this(RegistryChangeListener.NONE);
    }

    public RegistryStateMachine(RegistryChangeListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The log index of the last command that changed the state (refused commands do not count). */
    public long lastChangeIndex() {
        return lastChangeIndex;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        return RegistryCodec.encode(applyCommand(index, command));
    }

    private RegistryResult applyCommand(long index, byte[] bytes) {
        RegistryCommand command;
        try {
            command = RegistryCodec.decodeCommand(bytes);
        } catch (MalformedMessageException e) {
            return new Refused(Reason.INVALID_INPUT, "malformed command: " + e.getMessage());
        }
        Optional<String> problem = RegistryValidation.problem(command);
        if (problem.isPresent()) {
            return new Refused(Reason.INVALID_INPUT, problem.get());
        }
        RegistryResult result = switch (command) {
            case RegisterInstance c -> register(index, c);
            case DeregisterInstance c -> deregister(index, c);
            case GrantLease c -> grant(index, c);
            case RevokeLease c -> revoke(index, c);
            case ExpireLeases c -> expire(index, c);
            case KvPut c -> put(index, c);
            case KvDelete c -> delete(index, c);
            case KvCreateSequential c -> createSequential(index, c);
        };
        if (result instanceof Ok) {
            lastChangeIndex = index;
        }
        return result;
    }

    private RegistryResult register(long index, RegisterInstance c) {
        if (c.leaseId() != 0 && !leases.containsKey(c.leaseId())) {
            return unknownLease(c.leaseId());
        }
        Instance existing = services.getOrDefault(c.service(), new TreeMap<>()).get(c.instanceId());
        String ref = instanceRef(c.service(), c.instanceId());
        if (existing != null && existing.leaseId() != 0) {
            leases.get(existing.leaseId()).instances.remove(ref);
        }
        long createIndex = existing == null ? index : existing.createIndex();
        services.computeIfAbsent(c.service(), name -> new TreeMap<>()).put(c.instanceId(),
                new Instance(c.service(), c.instanceId(), c.host(), c.port(), c.secure(), c.metadata(), c.zone(),
                        c.weight(), c.leaseId(), createIndex, index));
        if (c.leaseId() != 0) {
            leases.get(c.leaseId()).instances.add(ref);
        }
        listener.instanceRegistered(services.get(c.service()).get(c.instanceId()));
        serviceChanged(index, c.service());
        return Ok.at(index);
    }

    private RegistryResult deregister(long index, DeregisterInstance c) {
        if (!services.getOrDefault(c.service(), new TreeMap<>()).containsKey(c.instanceId())) {
            return new Refused(Reason.NOT_FOUND, "no instance " + c.instanceId() + " of service " + c.service());
        }
        removeInstance(index, c.service(), c.instanceId());
        return Ok.at(index);
    }

    private RegistryResult grant(long index, GrantLease c) {
        leases.put(index, new LeaseState(c.ttlMillis()));
        listener.leaseGranted(index, c.ttlMillis());
        return Ok.withLeases(index, List.of(index));
    }

    private RegistryResult revoke(long index, RevokeLease c) {
        if (!leases.containsKey(c.leaseId())) {
            return unknownLease(c.leaseId());
        }
        removeLease(index, c.leaseId());
        return Ok.withLeases(index, List.of(c.leaseId()));
    }

    private RegistryResult expire(long index, ExpireLeases c) {
        List<Long> expired = new ArrayList<>();
        for (long leaseId : c.leaseIds()) {
            // A lease revoked (or expired by an earlier proposal) after the leader's timer fired is simply gone.
            if (leases.containsKey(leaseId)) {
                removeLease(index, leaseId);
                expired.add(leaseId);
            }
        }
        if (expired.isEmpty()) {
            return new Refused(Reason.UNKNOWN_LEASE, "none of the leases " + c.leaseIds() + " exists");
        }
        return Ok.withLeases(index, expired);
    }

    private RegistryResult put(long index, KvPut c) {
        if (c.leaseId() != 0 && !leases.containsKey(c.leaseId())) {
            return unknownLease(c.leaseId());
        }
        KvEntry existing = kv.get(c.key());
        long current = existing == null ? 0 : existing.modIndex();
        if (c.expectedModIndex() != RegistryCommand.ANY_VERSION && c.expectedModIndex() != current) {
            return casMismatch(c.key(), c.expectedModIndex(), current);
        }
        writeKey(index, c.key(), c.value(), c.leaseId());
        return Ok.at(index);
    }

    private RegistryResult delete(long index, KvDelete c) {
        KvEntry existing = kv.get(c.key());
        if (existing == null) {
            return new Refused(Reason.NOT_FOUND, "no key " + c.key());
        }
        if (c.expectedModIndex() != RegistryCommand.ANY_VERSION && c.expectedModIndex() != existing.modIndex()) {
            return casMismatch(c.key(), c.expectedModIndex(), existing.modIndex());
        }
        deleteKey(index, c.key());
        return Ok.at(index);
    }

    private RegistryResult createSequential(long index, KvCreateSequential c) {
        if (c.leaseId() != 0 && !leases.containsKey(c.leaseId())) {
            return unknownLease(c.leaseId());
        }
        String key = sequentialKey(c.prefix(), index);
        // The index is new, so the key cannot exist unless someone wrote that exact name with KvPut.
        if (kv.containsKey(key)) {
            return casMismatch(key, 0, kv.get(key).modIndex());
        }
        writeKey(index, key, c.value(), c.leaseId());
        // The key just below the new one under the same prefix: a ZooKeeper-style lock contender learns with its
        // own create whether it is first, and otherwise which key to watch, without listing the queue.
        String below = kv.lowerKey(key);
        String predecessor = below != null && below.startsWith(c.prefix() + "/") ? below : "";
        return new Ok(index, key, predecessor, List.of());
    }

    /** {@code prefix/} then the index zero-padded to 20 digits, so that string order is index order. */
    public static String sequentialKey(String prefix, long index) {
        return prefix + "/" + String.format(Locale.ROOT, "%020d", index);
    }

    private void writeKey(long index, String key, byte[] value, long leaseId) {
        KvEntry existing = kv.get(key);
        if (existing != null && existing.leaseId() != 0) {
            leases.get(existing.leaseId()).keys.remove(key);
        }
        long createIndex = existing == null ? index : existing.createIndex();
        kv.put(key, new KvEntry(key, value, createIndex, index, leaseId));
        if (leaseId != 0) {
            leases.get(leaseId).keys.add(key);
        }
        listener.keyChanged(index, key);
    }

    private void deleteKey(long index, String key) {
        KvEntry removed = kv.remove(key);
        detach(removed.leaseId(), lease -> lease.keys.remove(key));
        kvDeleteIndex = index;
        listener.keyChanged(index, key);
    }

    private void removeInstance(long index, String service, String instanceId) {
        TreeMap<String, Instance> instances = services.get(service);
        Instance removed = instances.remove(instanceId);
        if (instances.isEmpty()) {
            services.remove(service);
        }
        detach(removed.leaseId(), lease -> lease.instances.remove(instanceRef(service, instanceId)));
        listener.instanceRemoved(service, instanceId);
        serviceChanged(index, service);
    }

    private void removeLease(long index, long leaseId) {
        LeaseState lease = leases.remove(leaseId);
        for (String ref : lease.instances) {
            int slash = ref.indexOf('/');
            removeInstance(index, ref.substring(0, slash), ref.substring(slash + 1));
        }
        for (String key : lease.keys) {
            deleteKey(index, key);
        }
        listener.leaseRemoved(leaseId);
    }

    private void detach(long leaseId, Consumer<LeaseState> removal) {
        LeaseState lease = leaseId == 0 ? null : leases.get(leaseId);
        if (lease != null) {
            removal.accept(lease);
        }
    }

    private void serviceChanged(long index, String service) {
        serviceIndexes.put(service, index);
        servicesIndex = index;
        listener.serviceChanged(index, service);
    }

    private static Refused unknownLease(long leaseId) {
        return new Refused(Reason.UNKNOWN_LEASE, "no lease " + leaseId);
    }

    private static Refused casMismatch(String key, long expected, long actual) {
        return new Refused(Reason.CAS_MISMATCH, "key " + key + " has modIndex " + actual + ", expected " + expected);
    }

    /** Service names cannot hold {@code /}, so the first one splits the pair. */
    private static String instanceRef(String service, String instanceId) {
        return service + "/" + instanceId;
    }

    @Override
    public byte[] query(byte[] query) {
        return RegistryCodec.encode(answer(RegistryCodec.decodeQuery(query)));
    }

    /** Answers a query without the codec, for callers on the same event loop. */
    public RegistryQuery.Answer answer(RegistryQuery query) {
        return switch (query) {
            case RegistryQuery.ListServices q -> new RegistryQuery.ServiceNames(List.copyOf(services.keySet()), servicesIndex);
            case RegistryQuery.GetInstances q -> new RegistryQuery.Instances(q.service(),
                    List.copyOf(services.getOrDefault(q.service(), new TreeMap<>()).values()),
                    serviceIndexes.getOrDefault(q.service(), 0L));
            case RegistryQuery.KvGet q -> oneKey(q.key());
            case RegistryQuery.KvGetPrefix q -> kvEntries(withPrefix(q.prefix()));
            case RegistryQuery.GetLease q -> new RegistryQuery.Lease(Optional.ofNullable(leases.get(q.leaseId()))
                    .map(lease -> new LeaseView(q.leaseId(), lease.ttlMillis, List.copyOf(lease.keys),
                            List.copyOf(lease.instances))));
        };
    }

    private List<KvEntry> withPrefix(String prefix) {
        List<KvEntry> matching = new ArrayList<>();
        for (KvEntry entry : kv.tailMap(prefix, true).values()) {
            if (!entry.key().startsWith(prefix)) {
                break;
            }
            matching.add(entry);
        }
        return matching;
    }

    private RegistryQuery.KvEntries oneKey(String key) {
        KvEntry entry = kv.get(key);
        return entry != null ? new RegistryQuery.KvEntries(List.of(entry), entry.modIndex())
                : new RegistryQuery.KvEntries(List.of(), kvDeleteIndex);
    }

    private RegistryQuery.KvEntries kvEntries(List<KvEntry> entries) {
        long index = kvDeleteIndex;
        for (KvEntry entry : entries) {
            index = Math.max(index, entry.modIndex());
        }
        return new RegistryQuery.KvEntries(entries, index);
    }

    /**
     * Format: version byte, lastChangeIndex, servicesIndex, kvDeleteIndex, the per-service indexes, the
     * instances, the leases (id and TTL), the KV entries; all in sorted order. Which keys and instances a
     * lease holds is not stored: it is rebuilt from their lease ids.
     */
    @Override
    public byte[] snapshot() {
        BinaryWriter out = new BinaryWriter().writeByte(SNAPSHOT_VERSION)
                .writeLong(lastChangeIndex).writeLong(servicesIndex).writeLong(kvDeleteIndex);
        out.writeInt(serviceIndexes.size());
        serviceIndexes.forEach((service, index) -> out.writeString(service).writeLong(index));
        List<Instance> instances = services.values().stream().flatMap(byId -> byId.values().stream()).toList();
        out.writeInt(instances.size());
        instances.forEach(instance -> RegistryCodec.writeInstance(out, instance));
        out.writeInt(leases.size());
        leases.forEach((id, lease) -> out.writeLong(id).writeLong(lease.ttlMillis));
        out.writeInt(kv.size());
        kv.values().forEach(entry -> RegistryCodec.writeEntry(out, entry));
        return out.toByteArray();
    }

    @Override
    public void restore(byte[] snapshot) {
        BinaryReader in = new BinaryReader(snapshot);
        int version = in.readByte();
        if (version != SNAPSHOT_VERSION) {
            throw new MalformedMessageException("unsupported snapshot version " + version);
        }
        long restoredLastChange = in.readLong();
        long restoredServicesIndex = in.readLong();
        long restoredKvDeleteIndex = in.readLong();
        TreeMap<String, Long> restoredServiceIndexes = new TreeMap<>();
        for (int i = in.readCount(); i > 0; i--) {
            restoredServiceIndexes.put(in.readString(), in.readLong());
        }
        List<Instance> instances = new ArrayList<>();
        for (int i = in.readCount(); i > 0; i--) {
            instances.add(RegistryCodec.readInstance(in));
        }
        TreeMap<Long, LeaseState> restoredLeases = new TreeMap<>();
        for (int i = in.readCount(); i > 0; i--) {
            restoredLeases.put(in.readLong(), new LeaseState(in.readLong()));
        }
        List<KvEntry> entries = new ArrayList<>();
        for (int i = in.readCount(); i > 0; i--) {
            entries.add(RegistryCodec.readEntry(in));
        }
        in.expectEnd();

        TreeMap<String, TreeMap<String, Instance>> restoredServices = new TreeMap<>();
        for (Instance instance : instances) {
            restoredServices.computeIfAbsent(instance.service(), name -> new TreeMap<>())
                    .put(instance.instanceId(), instance);
            if (instance.leaseId() != 0) {
                leaseOf(restoredLeases, instance.leaseId()).instances
                        .add(instanceRef(instance.service(), instance.instanceId()));
            }
        }
        TreeMap<String, KvEntry> restoredKv = new TreeMap<>();
        for (KvEntry entry : entries) {
            restoredKv.put(entry.key(), entry);
            if (entry.leaseId() != 0) {
                leaseOf(restoredLeases, entry.leaseId()).keys.add(entry.key());
            }
        }

        lastChangeIndex = restoredLastChange;
        servicesIndex = restoredServicesIndex;
        kvDeleteIndex = restoredKvDeleteIndex;
        replace(serviceIndexes, restoredServiceIndexes);
        replace(services, restoredServices);
        replace(leases, restoredLeases);
        replace(kv, restoredKv);
        TreeMap<Long, Long> leaseTtls = new TreeMap<>();
        leases.forEach((id, lease) -> leaseTtls.put(id, lease.ttlMillis));
        listener.restored(leaseTtls, instances);
        listener.stateReplaced(lastChangeIndex);
    }

    private static LeaseState leaseOf(Map<Long, LeaseState> leases, long leaseId) {
        LeaseState lease = leases.get(leaseId);
        if (lease == null) {
            throw new MalformedMessageException("snapshot attaches to missing lease " + leaseId);
        }
        return lease;
    }

    private static <K, V> void replace(Map<K, V> target, Map<K, V> source) {
        target.clear();
        target.putAll(source);
    }

    /** A lease's TTL and what it holds; sorted so that its view and snapshot are deterministic. */
    private static final class LeaseState {
        final long ttlMillis;
        final TreeSet<String> keys = new TreeSet<>();
        final TreeSet<String> instances = new TreeSet<>();

        LeaseState(long ttlMillis) {
            this.ttlMillis = ttlMillis;
        }
    }
}

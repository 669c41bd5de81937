package io.flotilla.registryservice.state.command;

import io.flotilla.raft.codec.BinaryReader;
import io.flotilla.raft.codec.BinaryWriter;
import io.flotilla.raft.codec.MalformedMessageException;
import io.flotilla.registryservice.state.Instance;
import io.flotilla.registry.api.KvEntry;
import io.flotilla.registryservice.state.LeaseView;
import io.flotilla.registryservice.state.command.RegistryCommand.DeregisterInstance;
import io.flotilla.registryservice.state.command.RegistryCommand.ExpireLeases;
import io.flotilla.registryservice.state.command.RegistryCommand.GrantLease;
import io.flotilla.registryservice.state.command.RegistryCommand.KvCreateSequential;
import io.flotilla.registryservice.state.command.RegistryCommand.KvDelete;
import io.flotilla.registryservice.state.command.RegistryCommand.KvPut;
import io.flotilla.registryservice.state.command.RegistryCommand.RegisterInstance;
import io.flotilla.registryservice.state.command.RegistryCommand.RevokeLease;
import io.flotilla.registryservice.state.command.RegistryQuery.Answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The binary form of commands, results, queries and answers: a format version byte ({@value #VERSION}), a
 * type byte, then the record's fields in declaration order (see {@link BinaryWriter}). Commands live in the
 * Raft log for as long as it is kept, so a type number is never reused.
 */
public final class RegistryCodec {

    public static final int VERSION = 1;

    private RegistryCodec() {
    }

    public static byte[] encode(RegistryCommand command) {
        BinaryWriter out = new BinaryWriter().writeByte(VERSION);
        switch (command) {
            case RegisterInstance c -> out.writeByte(1).writeString(c.service()).writeString(c.instanceId())
                    .writeString(c.host()).writeInt(c.port()).writeBoolean(c.secure()).writeStringMap(c.metadata())
                    .writeString(c.zone()).writeInt(c.weight()).writeLong(c.leaseId());
            case DeregisterInstance c -> out.writeByte(2).writeString(c.service()).writeString(c.instanceId());
            case GrantLease c -> out.writeByte(3).writeLong(c.ttlMillis());
            case RevokeLease c -> out.writeByte(4).writeLong(c.leaseId());
            case ExpireLeases c -> {
                out.writeByte(5).writeInt(c.leaseIds().size());
                c.leaseIds().forEach(out::writeLong);
            }
            case KvPut c -> out.writeByte(6).writeString(c.key()).writeBytes(c.value())
                    .writeLong(c.expectedModIndex()).writeLong(c.leaseId());
            case KvDelete c -> out.writeByte(7).writeString(c.key()).writeLong(c.expectedModIndex());
            case KvCreateSequential c -> out.writeByte(8).writeString(c.prefix()).writeBytes(c.value())
                    .writeLong(c.leaseId());
        }
        return out.toByteArray();
    }

    public static RegistryCommand decodeCommand(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        RegistryCommand command = switch (type) {
            case 1 -> new RegisterInstance(in.readString(), in.readString(), in.readString(), in.readInt(),
                    in.readBoolean(), in.readStringMap(), in.readString(), in.readInt(), in.readLong());
            case 2 -> new DeregisterInstance(in.readString(), in.readString());
            case 3 -> new GrantLease(in.readLong());
            case 4 -> new RevokeLease(in.readLong());
            case 5 -> {
                int count = in.readCount();
                List<Long> ids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ids.add(in.readLong());
                }
                yield new ExpireLeases(ids);
            }
            case 6 -> new KvPut(in.readString(), in.readBytes(), in.readLong(), in.readLong());
            case 7 -> new KvDelete(in.readString(), in.readLong());
            case 8 -> new KvCreateSequential(in.readString(), in.readBytes(), in.readLong());
            default -> throw new MalformedMessageException("unknown command type " + type);
        };
        in.expectEnd();
        return command;
    }

    public static byte[] encode(RegistryResult result) {
        BinaryWriter out = new BinaryWriter().writeByte(VERSION);
        switch (result) {
            case RegistryResult.Ok ok -> {
                out.writeByte(1).writeLong(ok.index()).writeString(ok.key()).writeInt(ok.leaseIds().size());
                ok.leaseIds().forEach(out::writeLong);
                out.writeString(ok.predecessor());
            }
            case RegistryResult.Refused refused -> out.writeByte(2).writeByte(refused.reason().ordinal())
                    .writeString(refused.message());
        }
        return out.toByteArray();
    }

    public static RegistryResult decodeResult(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        RegistryResult result = switch (type) {
            case 1 -> {
                long index = in.readLong();
                String key = in.readString();
                int count = in.readCount();
                List<Long> ids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ids.add(in.readLong());
                }
                // Results cached in a session table before the predecessor was added end after the lease ids.
                String predecessor = in.hasRemaining() ? in.readString() : "";
                yield new RegistryResult.Ok(index, key, predecessor, ids);
            }
            case 2 -> {
                int reason = in.readByte();
                if (reason >= RegistryResult.Reason.values().length) {
                    throw new MalformedMessageException("unknown refusal reason " + reason);
                }
                yield new RegistryResult.Refused(RegistryResult.Reason.values()[reason], in.readString());
            }
            default -> throw new MalformedMessageException("unknown result type " + type);
        };
        in.expectEnd();
        return result;
    }

    public static byte[] encode(RegistryQuery query) {
        BinaryWriter out = new BinaryWriter().writeByte(VERSION);
        switch (query) {
            case RegistryQuery.ListServices q -> out.writeByte(1);
            case RegistryQuery.GetInstances q -> out.writeByte(2).writeString(q.service());
            case RegistryQuery.KvGet q -> out.writeByte(3).writeString(q.key());
            case RegistryQuery.KvGetPrefix q -> out.writeByte(4).writeString(q.prefix());
            case RegistryQuery.GetLease q -> out.writeByte(5).writeLong(q.leaseId());
        }
        return out.toByteArray();
    }

    public static RegistryQuery decodeQuery(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        RegistryQuery query = switch (type) {
            case 1 -> new RegistryQuery.ListServices();
            case 2 -> new RegistryQuery.GetInstances(in.readString());
            case 3 -> new RegistryQuery.KvGet(in.readString());
            case 4 -> new RegistryQuery.KvGetPrefix(in.readString());
            case 5 -> new RegistryQuery.GetLease(in.readLong());
            default -> throw new MalformedMessageException("unknown query type " + type);
        };
        in.expectEnd();
        return query;
    }

    public static byte[] encode(Answer answer) {
        BinaryWriter out = new BinaryWriter().writeByte(VERSION);
        switch (answer) {
            case RegistryQuery.ServiceNames a -> {
                out.writeByte(1).writeLong(a.index()).writeInt(a.names().size());
                a.names().forEach(out::writeString);
            }
            case RegistryQuery.Instances a -> {
                out.writeByte(2).writeString(a.service()).writeLong(a.index()).writeInt(a.instances().size());
                a.instances().forEach(instance -> writeInstance(out, instance));
            }
            case RegistryQuery.KvEntries a -> {
                out.writeByte(3).writeLong(a.index()).writeInt(a.entries().size());
                a.entries().forEach(entry -> writeEntry(out, entry));
            }
            case RegistryQuery.Lease a -> {
                out.writeByte(4).writeBoolean(a.lease().isPresent());
                a.lease().ifPresent(lease -> writeLease(out, lease));
            }
        }
        return out.toByteArray();
    }

    public static Answer decodeAnswer(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        Answer answer = switch (type) {
            case 1 -> {
                long index = in.readLong();
                int count = in.readCount();
                List<String> names = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    names.add(in.readString());
                }
                yield new RegistryQuery.ServiceNames(names, index);
            }
            case 2 -> {
                String service = in.readString();
                long index = in.readLong();
                int count = in.readCount();
                List<Instance> instances = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    instances.add(readInstance(in));
                }
                yield new RegistryQuery.Instances(service, instances, index);
            }
            case 3 -> {
                long index = in.readLong();
                int count = in.readCount();
                List<KvEntry> entries = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    entries.add(readEntry(in));
                }
                yield new RegistryQuery.KvEntries(entries, index);
            }
            case 4 -> new RegistryQuery.Lease(in.readBoolean() ? Optional.of(readLease(in)) : Optional.empty());
            default -> throw new MalformedMessageException("unknown answer type " + type);
        };
        in.expectEnd();
        return answer;
    }

    public static void writeInstance(BinaryWriter out, Instance instance) {
        out.writeString(instance.service()).writeString(instance.instanceId()).writeString(instance.host())
                .writeInt(instance.port()).writeBoolean(instance.secure()).writeStringMap(instance.metadata())
                .writeString(instance.zone()).writeInt(instance.weight()).writeLong(instance.leaseId())
                .writeLong(instance.createIndex()).writeLong(instance.modIndex());
    }

    public static Instance readInstance(BinaryReader in) {
        return new Instance(in.readString(), in.readString(), in.readString(), in.readInt(), in.readBoolean(),
                in.readStringMap(), in.readString(), in.readInt(), in.readLong(), in.readLong(), in.readLong());
    }

    public static void writeEntry(BinaryWriter out, KvEntry entry) {
        out.writeString(entry.key()).writeBytes(entry.value()).writeLong(entry.createIndex())
                .writeLong(entry.modIndex()).writeLong(entry.leaseId());
    }

    public static KvEntry readEntry(BinaryReader in) {
        return new KvEntry(in.readString(), in.readBytes(), in.readLong(), in.readLong(), in.readLong());
    }

    private static void writeLease(BinaryWriter out, LeaseView lease) {
        out.writeLong(lease.leaseId()).writeLong(lease.ttlMillis()).writeInt(lease.keys().size());
        lease.keys().forEach(out::writeString);
        out.writeInt(lease.instances().size());
        lease.instances().forEach(out::writeString);
    }

    private static LeaseView readLease(BinaryReader in) {
        long leaseId = in.readLong();
        long ttlMillis = in.readLong();
        List<String> keys = readStrings(in);
        return new LeaseView(leaseId, ttlMillis, keys, readStrings(in));
    }

    private static List<String> readStrings(BinaryReader in) {
        int count = in.readCount();
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(in.readString());
        }
        return strings;
    }

    /** Reads the version byte and returns a reader positioned at the type byte. */
    public static BinaryReader open(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.readByte();
        if (version != VERSION) {
            throw new MalformedMessageException("unsupported format version " + version);
        }
        return in;
    }
}

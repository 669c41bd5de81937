package io.flotilla.txcoordinator.state.command;

import io.flotilla.tx.api.BranchStatus;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;

import io.flotilla.raft.codec.BinaryReader;
import io.flotilla.raft.codec.BinaryWriter;
import io.flotilla.raft.codec.MalformedMessageException;
import io.flotilla.txcoordinator.state.Branch;
import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.command.TxCommand.Begin;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchDone;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchesSettled;
import io.flotilla.txcoordinator.state.command.TxCommand.Settled;
import io.flotilla.txcoordinator.state.command.TxCommand.CheckBackFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
import io.flotilla.txcoordinator.state.Message;
import io.flotilla.txcoordinator.state.command.TxCommand.PrepareMessage;
import io.flotilla.txcoordinator.state.command.TxCommand.Purge;
import io.flotilla.txcoordinator.state.command.TxCommand.RegisterBranch;
import io.flotilla.txcoordinator.state.command.TxCommand.Rollback;
import io.flotilla.txcoordinator.state.command.TxCommand.TimeOut;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The binary form of commands, results, queries, answers and transactions: a format version byte
 * ({@value #VERSION}), a type byte, then the record's fields in declaration order (see {@link BinaryWriter});
 * enums are their ordinal, so constants are only ever appended. Commands live in the Raft log for as long as
 * it is kept, so a type number is never reused.
 */
public final class TxCodec {

    public static final int VERSION = 1;

    private static final int NO_STATUS = 255;

    private TxCodec() {
    }

    public static byte[] encode(TxCommand command) {
        BinaryWriter out = new BinaryWriter().writeByte(VERSION);
        switch (command) {
            case Begin c -> out.writeByte(1).writeString(c.xid()).writeByte(c.mode().ordinal()).writeString(c.name())
                    .writeLong(c.timeoutMillis());
            // Without a batch URL the entry is written as before batches existed (type 2), so older nodes read it.
            case RegisterBranch c when c.batchUrl().isEmpty() -> out.writeByte(2).writeString(c.xid())
                    .writeString(c.resource()).writeString(c.confirmUrl()).writeString(c.cancelUrl());
            case RegisterBranch c -> out.writeByte(11).writeString(c.xid()).writeString(c.resource())
                    .writeString(c.confirmUrl()).writeString(c.cancelUrl()).writeString(c.batchUrl());
            case Commit c -> out.writeByte(3).writeString(c.xid());
            case Rollback c -> out.writeByte(4).writeString(c.xid());
            case TimeOut c -> out.writeByte(5).writeString(c.xid());
            case BranchDone c -> out.writeByte(6).writeString(c.xid()).writeLong(c.branchId());
            case BranchFailed c -> out.writeByte(7).writeString(c.xid()).writeLong(c.branchId()).writeString(c.error());
            case Purge c -> out.writeByte(8).writeLong(c.finishedBeforeMillis()).writeInt(c.max());
            case PrepareMessage c -> out.writeByte(9).writeString(c.xid()).writeString(c.name())
                    .writeString(c.checkUrl()).writeString(c.payload()).writeLong(c.timeoutMillis());
            case CheckBackFailed c -> out.writeByte(10).writeString(c.xid()).writeString(c.error())
                    .writeLong(c.retryAtMillis());
            case BranchesSettled c -> {
                out.writeByte(12).writeInt(c.outcomes().size());
                for (Settled settled : c.outcomes()) {
                    out.writeString(settled.xid()).writeLong(settled.branchId()).writeString(settled.error());
                }
            }
        }
        return out.writeLong(command.nowMillis()).toByteArray();
    }

    public static TxCommand decodeCommand(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        TxCommand command = switch (type) {
            case 1 -> new Begin(in.readString(), readEnum(in, TransactionMode.values()), in.readString(), in.readLong(),
                    in.readLong());
            case 2 -> new RegisterBranch(in.readString(), in.readString(), in.readString(), in.readString(),
                    in.readLong());
            case 3 -> new Commit(in.readString(), in.readLong());
            case 4 -> new Rollback(in.readString(), in.readLong());
            case 5 -> new TimeOut(in.readString(), in.readLong());
            case 6 -> new BranchDone(in.readString(), in.readLong(), in.readLong());
            case 7 -> new BranchFailed(in.readString(), in.readLong(), in.readString(), in.readLong());
            case 8 -> new Purge(in.readLong(), in.readInt(), in.readLong());
            case 9 -> new PrepareMessage(in.readString(), in.readString(), in.readString(), in.readString(),
                    in.readLong(), in.readLong());
            case 10 -> new CheckBackFailed(in.readString(), in.readString(), in.readLong(), in.readLong());
            case 11 -> new RegisterBranch(in.readString(), in.readString(), in.readString(), in.readString(),
                    in.readString(), in.readLong());
            case 12 -> {
                int count = in.readCount();
                List<Settled> outcomes = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    outcomes.add(new Settled(in.readString(), in.readLong(), in.readString()));
                }
                yield new BranchesSettled(outcomes, in.readLong());
            }
            default -> throw new MalformedMessageException("unknown command type " + type);
        };
        in.expectEnd();
        return command;
    }

    public static byte[] encode(TxResult result) {
        BinaryWriter out = new BinaryWriter().writeByte(VERSION);
        switch (result) {
            case TxResult.Ok ok -> out.writeByte(1).writeLong(ok.index()).writeString(ok.xid())
                    .writeByte(statusByte(ok.status())).writeLong(ok.branchId()).writeInt(ok.purged());
            case TxResult.Refused refused -> out.writeByte(2).writeByte(refused.reason().ordinal())
                    .writeString(refused.message()).writeByte(statusByte(refused.status()));
        }
        return out.toByteArray();
    }

    public static TxResult decodeResult(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        TxResult result = switch (type) {
            case 1 -> new TxResult.Ok(in.readLong(), in.readString(), readStatus(in), in.readLong(), in.readInt());
            case 2 -> new TxResult.Refused(readEnum(in, TxResult.Reason.values()), in.readString(), readStatus(in));
            default -> throw new MalformedMessageException("unknown result type " + type);
        };
        in.expectEnd();
        return result;
    }

    public static byte[] encode(TxQuery query) {
        BinaryWriter out = new BinaryWriter().writeByte(VERSION);
        switch (query) {
            case TxQuery.Get q -> out.writeByte(1).writeString(q.xid());
            case TxQuery.ListTransactions q -> out.writeByte(2).writeByte(statusByte(q.status()))
                    .writeLong(q.createdBeforeMillis()).writeInt(q.limit());
            case TxQuery.InPhaseTwo q -> out.writeByte(3);
            case TxQuery.Expired q -> out.writeByte(4).writeLong(q.nowMillis()).writeInt(q.limit());
            case TxQuery.FinishedBefore q -> out.writeByte(5).writeLong(q.beforeMillis()).writeInt(q.limit());
        }
        return out.toByteArray();
    }

    public static TxQuery decodeQuery(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        TxQuery query = switch (type) {
            case 1 -> new TxQuery.Get(in.readString());
            case 2 -> new TxQuery.ListTransactions(readStatus(in), in.readLong(), in.readInt());
            case 3 -> new TxQuery.InPhaseTwo();
            case 4 -> new TxQuery.Expired(in.readLong(), in.readInt());
            case 5 -> new TxQuery.FinishedBefore(in.readLong(), in.readInt());
            default -> throw new MalformedMessageException("unknown query type " + type);
        };
        in.expectEnd();
        return query;
    }

    public static byte[] encode(TxQuery.Answer answer) {
        BinaryWriter out = new BinaryWriter().writeByte(VERSION);
        switch (answer) {
            case TxQuery.One a -> {
                out.writeByte(1).writeBoolean(a.transaction().isPresent());
                a.transaction().ifPresent(transaction -> writeTransaction(out, transaction));
            }
            case TxQuery.Many a -> {
                out.writeByte(2).writeInt(a.matching()).writeInt(a.transactions().size());
                a.transactions().forEach(transaction -> writeTransaction(out, transaction));
            }
        }
        return out.toByteArray();
    }

    public static TxQuery.Answer decodeAnswer(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        TxQuery.Answer answer = switch (type) {
            case 1 -> new TxQuery.One(in.readBoolean() ? Optional.of(readTransaction(in)) : Optional.empty());
            case 2 -> {
                int matching = in.readInt();
                int count = in.readCount();
                List<Transaction> transactions = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    transactions.add(readTransaction(in));
                }
                yield new TxQuery.Many(transactions, matching);
            }
            default -> throw new MalformedMessageException("unknown answer type " + type);
        };
        in.expectEnd();
        return answer;
    }

    /**
     * The layout of a transaction that {@link #writeTransaction} writes: 2 added the message, 3 each branch's batch
     * URL (after its finish time). Snapshots record theirs, so older ones are still read.
     */
    public static final int TRANSACTION_LAYOUT = 3;

    public static void writeTransaction(BinaryWriter out, Transaction t) {
        out.writeString(t.xid()).writeByte(t.mode().ordinal()).writeString(t.name()).writeByte(t.status().ordinal())
                .writeBoolean(t.timedOut()).writeLong(t.createdAt()).writeLong(t.timeoutAt()).writeLong(t.decidedAt())
                .writeLong(t.finishedAt()).writeInt(t.branches().size());
        for (Branch b : t.branches()) {
            out.writeLong(b.branchId()).writeString(b.resource()).writeString(b.confirmUrl()).writeString(b.cancelUrl())
                    .writeByte(b.status().ordinal()).writeInt(b.attempts()).writeString(b.lastError())
                    .writeLong(b.registeredAt()).writeLong(b.lastAttemptAt()).writeLong(b.finishedAt())
                    .writeString(b.batchUrl());
        }
        Message m = t.message();
        out.writeBoolean(m != null);
        if (m != null) {
            out.writeString(m.checkUrl()).writeString(m.payload()).writeInt(m.checkAttempts())
                    .writeString(m.lastCheckError());
        }
    }

    public static Transaction readTransaction(BinaryReader in) {
        return readTransaction(in, TRANSACTION_LAYOUT);
    }

    /** @param layout the layout it was written in: 1 before two-phase messages, 2 before batch URLs */
    public static Transaction readTransaction(BinaryReader in, int layout) {
        String xid = in.readString();
        TransactionMode mode = readEnum(in, TransactionMode.values());
        String name = in.readString();
        GlobalStatus status = readEnum(in, GlobalStatus.values());
        boolean timedOut = in.readBoolean();
        long createdAt = in.readLong();
        long timeoutAt = in.readLong();
        long decidedAt = in.readLong();
        long finishedAt = in.readLong();
        int count = in.readCount();
        List<Branch> branches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long branchId = in.readLong();
            String resource = in.readString();
            String confirmUrl = in.readString();
            String cancelUrl = in.readString();
            BranchStatus branchStatus = readEnum(in, BranchStatus.values());
            int attempts = in.readInt();
            String lastError = in.readString();
            long registeredAt = in.readLong();
            long lastAttemptAt = in.readLong();
            long branchFinishedAt = in.readLong();
            String batchUrl = layout >= 3 ? in.readString() : "";
            branches.add(new Branch(branchId, resource, confirmUrl, cancelUrl, batchUrl, branchStatus, attempts,
                    lastError, registeredAt, lastAttemptAt, branchFinishedAt));
        }
        Message message = layout >= 2 && in.readBoolean()
                ? new Message(in.readString(), in.readString(), in.readInt(), in.readString()) : null;
        return new Transaction(xid, mode, name, status, timedOut, createdAt, timeoutAt, decidedAt, finishedAt,
                branches, message);
    }

    private static int statusByte(GlobalStatus status) {
        return status == null ? NO_STATUS : status.ordinal();
    }

    private static GlobalStatus readStatus(BinaryReader in) {
        int value = in.readByte();
        if (value == NO_STATUS) {
            return null;
        }
        if (value >= GlobalStatus.values().length) {
            throw new MalformedMessageException("unknown status " + value);
        }
        return GlobalStatus.values()[value];
    }

    private static <E extends Enum<E>> E readEnum(BinaryReader in, E[] values) {
        int ordinal = in.readByte();
        if (ordinal >= values.length) {
            throw new MalformedMessageException("unknown " + values[0].getDeclaringClass().getSimpleName() + " "
                    + ordinal);
        }
        return values[ordinal];
    }

    private static BinaryReader open(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.readByte();
        if (version != VERSION) {
            throw new MalformedMessageException("unsupported format version " + version);
        }
        return in;
    }
}

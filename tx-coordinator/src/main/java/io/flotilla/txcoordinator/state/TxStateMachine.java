package io.flotilla.txcoordinator.state;

import io.flotilla.tx.api.BranchStatus;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;

import io.flotilla.raft.StateMachine;
import io.flotilla.raft.codec.BinaryReader;
import io.flotilla.raft.codec.BinaryWriter;
import io.flotilla.raft.codec.MalformedMessageException;
import io.flotilla.txcoordinator.state.command.TxCodec;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.Begin;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchDone;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchesSettled;
import io.flotilla.txcoordinator.state.command.TxCommand.Settled;
import io.flotilla.txcoordinator.state.command.TxCommand.CheckBackFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
import io.flotilla.txcoordinator.state.command.TxCommand.PrepareMessage;
import io.flotilla.txcoordinator.state.command.TxCommand.Purge;
import io.flotilla.txcoordinator.state.command.TxCommand.RegisterBranch;
import io.flotilla.txcoordinator.state.command.TxCommand.Rollback;
import io.flotilla.txcoordinator.state.command.TxCommand.TimeOut;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;
import io.flotilla.txcoordinator.state.command.TxResult.Ok;
import io.flotilla.txcoordinator.state.command.TxResult.Reason;
import io.flotilla.txcoordinator.state.command.TxResult.Refused;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The coordinator's transaction log as a Raft state machine: every global transaction, its branches and
 * where phase two stands.
 *
 * <p>Deterministic: xids come from the proposer, branch ids are log indexes, times come from the commands'
 * {@code nowMillis}, every collection is sorted. A refused command changes nothing, so equal histories give
 * equal snapshot bytes. The state says what was decided and what each participant acknowledged; the leader's
 * phase-two driver and timeout sweeper read it and propose what happens next.
 */
public final class TxStateMachine implements StateMachine {

    /**
     * The snapshot's version is the layout of its transactions ({@link TxCodec#TRANSACTION_LAYOUT}): 2 added
     * two-phase messages, 3 the branches' batch URLs; snapshots of every earlier version are still read.
     */
    private static final int SNAPSHOT_VERSION = TxCodec.TRANSACTION_LAYOUT;

    private final TxChangeListener listener;

    private final TreeMap<String, Transaction> transactions = new TreeMap<>();
    private final TreeSet<TimeKey> activeByTimeout = new TreeSet<>();
    private final TreeSet<String> inPhaseTwo = new TreeSet<>();
    private final TreeSet<TimeKey> finishedByTime = new TreeSet<>();

    public TxStateMachine() {
        this(TxChangeListener.NONE);
    }

    public TxStateMachine(TxChangeListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        return TxCodec.encode(applyCommand(index, command));
    }

    private TxResult applyCommand(long index, byte[] bytes) {
        TxCommand command;
        try {
            command = TxCodec.decodeCommand(bytes);
        } catch (MalformedMessageException e) {
            return new Refused(Reason.INVALID_INPUT, "malformed command: " + e.getMessage(), null);
        }
        Optional<String> problem = TxValidation.problem(command);
        if (problem.isPresent()) {
            return new Refused(Reason.INVALID_INPUT, problem.get(), null);
        }
        if (command instanceof Begin begin) {
            return begin(index, begin);
        }
        if (command instanceof PrepareMessage prepare) {
            return prepare(index, prepare);
        }
        if (command instanceof Purge purge) {
            return purge(index, purge);
        }
        if (command instanceof BranchesSettled settled) {
            return settle(index, settled);
        }
        String xid = xidOf(command);
        Transaction transaction = transactions.get(xid);
        if (transaction == null) {
            return new Refused(Reason.NOT_FOUND, "no transaction " + xid, null);
        }
        return switch (command) {
            case RegisterBranch c -> register(index, transaction, c);
            case Commit c -> decide(index, transaction, true, c.nowMillis());
            case Rollback c -> decide(index, transaction, false, c.nowMillis());
            case TimeOut c -> timeOut(index, transaction, c);
            case BranchDone c -> branchDone(index, transaction, c);
            case BranchFailed c -> branchFailed(index, transaction, c);
            case CheckBackFailed c -> checkBackFailed(index, transaction, c);
            case Begin c -> throw new IllegalStateException("handled above");
            case PrepareMessage c -> throw new IllegalStateException("handled above");
            case Purge c -> throw new IllegalStateException("handled above");
            case BranchesSettled c -> throw new IllegalStateException("handled above");
        };
    }

    /**
     * A batch's outcomes, each applied exactly as its own {@code BranchDone} or {@code BranchFailed} would be; the
     * answer counts the outcomes applied (in {@code purged}, the result's count field). A refused one (transaction
     * purged, branch unknown, not in phase two) changes nothing, as it would alone.
     */
    private TxResult settle(long index, BranchesSettled c) {
        int applied = 0;
        for (Settled settled : c.outcomes()) {
            Transaction transaction = transactions.get(settled.xid());
            if (transaction == null) {
                continue;
            }
            TxResult result = settled.done()
                    ? branchDone(index, transaction, new BranchDone(settled.xid(), settled.branchId(), c.nowMillis()))
                    : branchFailed(index, transaction, new BranchFailed(settled.xid(), settled.branchId(),
                            settled.error(), c.nowMillis()));
            if (result instanceof Ok) {
                applied++;
            }
        }
        return new Ok(index, "", null, 0, applied);
    }

    private TxResult begin(long index, Begin c) {
        if (transactions.containsKey(c.xid())) {
            return new Refused(Reason.CONFLICT, "transaction " + c.xid() + " already exists",
                    transactions.get(c.xid()).status());
        }
        Transaction created = new Transaction(c.xid(), c.mode(), c.name(), GlobalStatus.ACTIVE, false, c.nowMillis(),
                c.nowMillis() + c.timeoutMillis(), 0, 0, List.of());
        store(index, null, created);
        return ok(index, created, 0);
    }

    private TxResult prepare(long index, PrepareMessage c) {
        if (transactions.containsKey(c.xid())) {
            return new Refused(Reason.CONFLICT, "transaction " + c.xid() + " already exists",
                    transactions.get(c.xid()).status());
        }
        Transaction created = new Transaction(c.xid(), TransactionMode.MSG, c.name(), GlobalStatus.ACTIVE, false,
                c.nowMillis(), c.nowMillis() + c.timeoutMillis(), 0, 0, List.of(),
                new Message(c.checkUrl(), c.payload(), 0, ""));
        store(index, null, created);
        return ok(index, created, 0);
    }

    private TxResult checkBackFailed(long index, Transaction t, CheckBackFailed c) {
        if (!t.isMessage() || t.status() != GlobalStatus.ACTIVE) {
            // Settled meanwhile (the producer submitted, or another check-back answered): nothing to retry.
            return ok(index, t, 0);
        }
        Transaction updated = t.checkBackFailed(c.error(), c.retryAtMillis());
        store(index, t, updated);
        return ok(index, updated, 0);
    }

    private TxResult register(long index, Transaction t, RegisterBranch c) {
        if (t.status() != GlobalStatus.ACTIVE) {
            return new Refused(Reason.CONFLICT, "transaction " + t.xid() + " is " + t.status()
                    + ": branches are accepted only while it is ACTIVE", t.status());
        }
        if (c.nowMillis() >= t.timeoutAt()) {
            return new Refused(Reason.CONFLICT, "transaction " + t.xid() + " timed out: it will be rolled back",
                    t.status());
        }
        if (t.branches().size() >= TxValidation.MAX_BRANCHES) {
            return new Refused(Reason.CONFLICT, "transaction " + t.xid() + " already has "
                    + TxValidation.MAX_BRANCHES + " branches", t.status());
        }
        Branch branch = new Branch(index, c.resource(), c.confirmUrl(), c.cancelUrl(), c.batchUrl(),
                BranchStatus.REGISTERED, 0, "", c.nowMillis(), 0, 0);
        Transaction updated = t.withBranch(branch);
        store(index, t, updated);
        return ok(index, updated, index);
    }

    /**
     * Commit and rollback are idempotent: a transaction already decided answers its status unchanged, whichever
     * way it went. A commit that arrives after the timeout (by the proposer's clock) rolls back instead: the
     * sweeper may simply not have run yet, and the outcome must not depend on that race.
     */
    private TxResult decide(long index, Transaction t, boolean commit, long now) {
        if (t.status() != GlobalStatus.ACTIVE) {
            return ok(index, t, 0);
        }
        // A message's time-out only says when to ask the producer back: its submit comes after the producer's local
        // commit, which the barrier row makes final, so it is delivered however late it arrives.
        boolean timedOut = !t.isMessage() && now >= t.timeoutAt();
        Transaction decided = t.decide(commit && !timedOut, timedOut, now);
        store(index, t, decided);
        return ok(index, decided, 0);
    }

    private TxResult timeOut(long index, Transaction t, TimeOut c) {
        if (t.isMessage() || t.status() != GlobalStatus.ACTIVE || c.nowMillis() < t.timeoutAt()) {
            return ok(index, t, 0);
        }
        Transaction decided = t.decide(false, true, c.nowMillis());
        store(index, t, decided);
        return ok(index, decided, 0);
    }

    private TxResult branchDone(long index, Transaction t, BranchDone c) {
        Optional<Branch> branch = branch(t, c.branchId());
        if (branch.isEmpty()) {
            return noBranch(t, c.branchId());
        }
        if (!branch.get().pending()) {
            // A deposed leader's late report, or a retry of one that committed: the outcome is already recorded.
            return ok(index, t, c.branchId());
        }
        if (!t.status().inPhaseTwo()) {
            return notInPhaseTwo(t);
        }
        BranchStatus outcome = t.status().isCommitDecided() ? BranchStatus.COMMITTED : BranchStatus.ROLLED_BACK;
        Transaction updated = t.replaceBranch(branch.get().done(outcome, c.nowMillis())).finishIfDone(c.nowMillis());
        store(index, t, updated);
        return ok(index, updated, c.branchId());
    }

    private TxResult branchFailed(long index, Transaction t, BranchFailed c) {
        Optional<Branch> branch = branch(t, c.branchId());
        if (branch.isEmpty()) {
            return noBranch(t, c.branchId());
        }
        if (!branch.get().pending()) {
            return ok(index, t, c.branchId());
        }
        if (!t.status().inPhaseTwo()) {
            return notInPhaseTwo(t);
        }
        Transaction updated = t.replaceBranch(branch.get().failed(c.error(), c.nowMillis()));
        store(index, t, updated);
        return ok(index, updated, c.branchId());
    }

    private TxResult purge(long index, Purge c) {
        List<TimeKey> forgotten = new ArrayList<>();
        for (TimeKey key : finishedByTime) {
            if (key.at() >= c.finishedBeforeMillis() || forgotten.size() == c.max()) {
                break;
            }
            forgotten.add(key);
        }
        for (TimeKey key : forgotten) {
            finishedByTime.remove(key);
            transactions.remove(key.xid());
        }
        return new Ok(index, "", null, 0, forgotten.size());
    }

    private void store(long index, Transaction before, Transaction after) {
        if (before != null) {
            unindex(before);
        }
        transactions.put(after.xid(), after);
        index(after);
        listener.changed(index, after);
    }

    private void index(Transaction t) {
        switch (t.status()) {
            case ACTIVE -> activeByTimeout.add(new TimeKey(t.timeoutAt(), t.xid()));
            case COMMITTING, ROLLING_BACK -> inPhaseTwo.add(t.xid());
            case COMMITTED, ROLLED_BACK -> finishedByTime.add(new TimeKey(t.finishedAt(), t.xid()));
        }
    }

    private void unindex(Transaction t) {
        switch (t.status()) {
            case ACTIVE -> activeByTimeout.remove(new TimeKey(t.timeoutAt(), t.xid()));
            case COMMITTING, ROLLING_BACK -> inPhaseTwo.remove(t.xid());
            case COMMITTED, ROLLED_BACK -> finishedByTime.remove(new TimeKey(t.finishedAt(), t.xid()));
        }
    }

    private static Optional<Branch> branch(Transaction t, long branchId) {
        return t.branches().stream().filter(b -> b.branchId() == branchId).findFirst();
    }

    private static Refused noBranch(Transaction t, long branchId) {
        return new Refused(Reason.NOT_FOUND, "transaction " + t.xid() + " has no branch " + branchId, t.status());
    }

    private static Refused notInPhaseTwo(Transaction t) {
        return new Refused(Reason.CONFLICT, "transaction " + t.xid() + " is " + t.status() + ", not in phase two",
                t.status());
    }

    private static Ok ok(long index, Transaction t, long branchId) {
        return new Ok(index, t.xid(), t.status(), branchId, 0);
    }

    private static String xidOf(TxCommand command) {
        return switch (command) {
            case RegisterBranch c -> c.xid();
            case Commit c -> c.xid();
            case Rollback c -> c.xid();
            case TimeOut c -> c.xid();
            case BranchDone c -> c.xid();
            case BranchFailed c -> c.xid();
            case Begin c -> c.xid();
            case PrepareMessage c -> c.xid();
            case CheckBackFailed c -> c.xid();
            case Purge c -> throw new IllegalArgumentException("a purge names no transaction");
            case BranchesSettled c -> throw new IllegalArgumentException("a batch's outcomes name many transactions");
        };
    }

    @Override
    public byte[] query(byte[] query) {
        return TxCodec.encode(answer(TxCodec.decodeQuery(query)));
    }

    /** Answers a query without the codec, for callers on the same event loop. */
    public TxQuery.Answer answer(TxQuery query) {
        return switch (query) {
            case TxQuery.Get q -> new TxQuery.One(Optional.ofNullable(transactions.get(q.xid())));
            case TxQuery.ListTransactions q -> list(q);
            case TxQuery.InPhaseTwo q -> {
                List<Transaction> running = inPhaseTwo.stream().map(transactions::get).toList();
                yield new TxQuery.Many(running, running.size());
            }
            case TxQuery.Expired q -> upTo(activeByTimeout, q.nowMillis() + 1, q.limit());
            case TxQuery.FinishedBefore q -> upTo(finishedByTime, q.beforeMillis(), q.limit());
        };
    }

    /** The transactions of {@code keys} whose time is before {@code beforeMillis}, in time order. */
    private TxQuery.Many upTo(TreeSet<TimeKey> keys, long beforeMillis, int limit) {
        List<Transaction> found = new ArrayList<>();
        int matching = 0;
        for (TimeKey key : keys) {
            if (key.at() >= beforeMillis) {
                break;
            }
            matching++;
            if (found.size() < limit) {
                found.add(transactions.get(key.xid()));
            }
        }
        return new TxQuery.Many(found, matching);
    }

    /**
     * A status in phase two is looked up through its index: a monitor (or a benchmark waiting for phase two to drain)
     * polling {@code ?status=COMMITTING} would otherwise walk every transaction kept for the retention on the Raft loop.
     */
    private TxQuery.Many list(TxQuery.ListTransactions q) {
        List<Transaction> matching = new ArrayList<>();
        Iterable<Transaction> candidates = q.status() != null && q.status().inPhaseTwo()
                ? inPhaseTwo.stream().map(transactions::get).toList() : transactions.values();
        for (Transaction t : candidates) {
            if ((q.status() == null || t.status() == q.status()) && t.createdAt() < q.createdBeforeMillis()) {
                matching.add(t);
            }
        }
        matching.sort(Comparator.comparingLong(Transaction::createdAt).thenComparing(Transaction::xid));
        return new TxQuery.Many(matching.subList(0, Math.min(Math.max(q.limit(), 0), matching.size())),
                matching.size());
    }

    /** Format: version byte, the number of transactions, then each one (xid order) as {@link TxCodec} writes it. */
    @Override
    public byte[] snapshot() {
        // About 100 bytes per finished transaction: one allocation instead of a dozen doublings on the Raft loop.
        BinaryWriter out = new BinaryWriter(16 + transactions.size() * 100).writeByte(SNAPSHOT_VERSION)
                .writeInt(transactions.size());
        transactions.values().forEach(t -> TxCodec.writeTransaction(out, t));
        return out.toByteArray();
    }

    @Override
    public void restore(byte[] snapshot) {
        BinaryReader in = new BinaryReader(snapshot);
        int version = in.readByte();
        if (version < 1 || version > SNAPSHOT_VERSION) {
            throw new MalformedMessageException("unsupported snapshot version " + version);
        }
        List<Transaction> restored = new ArrayList<>();
        for (int i = in.readCount(); i > 0; i--) {
            restored.add(TxCodec.readTransaction(in, version));
        }
        in.expectEnd();
        transactions.clear();
        activeByTimeout.clear();
        inPhaseTwo.clear();
        finishedByTime.clear();
        for (Transaction t : restored) {
            transactions.put(t.xid(), t);
            index(t);
        }
        listener.stateReplaced();
    }

    /**
     * Ordered by time, then xid: written out rather than {@code Comparator.comparingLong(…).thenComparing(…)}, whose
     * key extractors showed in the Raft loop's profile (these sets change on every begin and decision).
     */
    private record TimeKey(long at, String xid) implements Comparable<TimeKey> {

        @Override
        public int compareTo(TimeKey other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : xid.compareTo(other.xid);
        }
    }
}

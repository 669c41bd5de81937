package io.flotilla.raft.core;

import io.flotilla.raft.ClientRequest;
import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.CommandResult;
import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.LeadershipListener;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.ProposalRefusedException;
import io.flotilla.raft.RaftException;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.raft.ReadResult;
import io.flotilla.raft.Role;
import io.flotilla.raft.StaleRequestException;
import io.flotilla.raft.StateMachine;
import io.flotilla.raft.log.EntryType;
import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.log.LogStorage;
import io.flotilla.raft.rpc.AppendEntriesRequest;
import io.flotilla.raft.rpc.AppendEntriesResponse;
import io.flotilla.raft.rpc.InstallSnapshotRequest;
import io.flotilla.raft.rpc.InstallSnapshotResponse;
import io.flotilla.raft.rpc.ProposeRequest;
import io.flotilla.raft.rpc.ProposeResponse;
import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.rpc.TimeoutNowRequest;
import io.flotilla.raft.rpc.VoteRequest;
import io.flotilla.raft.rpc.VoteResponse;
import io.flotilla.raft.runtime.Cancellable;
import io.flotilla.raft.runtime.EventLoop;
import io.flotilla.raft.storage.HardState;
import io.flotilla.raft.storage.HardStateStore;
import io.flotilla.raft.storage.RaftStorage;
import io.flotilla.raft.storage.Snapshot;
import io.flotilla.raft.storage.SnapshotMeta;
import io.flotilla.raft.storage.SnapshotStore;
import io.flotilla.raft.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;

/**
 * The Raft protocol of one node. Not thread-safe by design: every method runs on the node's
 * {@link EventLoop}, which {@link DefaultRaftNode} guarantees, and which lets the simulator replay runs.
 *
 * <p>Durability rules kept here: the hard state is saved before any answer that depends on it; a
 * follower syncs appended entries before acknowledging them; a leader counts its own log toward commit
 * only up to what it has synced. Appends made in one loop turn share one sync (group commit).
 */
public final class RaftCore {

    private static final Logger log = LoggerFactory.getLogger(RaftCore.class);

    private record PendingCommand(long term, CompletableFuture<CommandResult> future) {
    }

    private record PendingRead(long round, long readIndex, byte[] query, long minIndex,
                               CompletableFuture<ReadResult> future) {
    }

    private record PendingChange(long index, CompletableFuture<Void> future) {
    }

    /** A command this follower proposed to {@code leaderId} and that is not answered yet. */
    private record Proposal(String leaderId, ClientRequest request, long sentAtMillis,
                            CompletableFuture<CommandResult> future) {
    }

    /** A proposal the leader reports applied: answered once this node has applied its index too. */
    private record AppliedProposal(CommandResult result, CompletableFuture<CommandResult> future) {
    }

    private static final byte[] NO_BYTES = new byte[0];

    /**
     * Proposal ids of one sender remembered to drop duplicates (the transport may duplicate messages); far more
     * than can be in flight from one follower at a time.
     */
    private static final int REMEMBERED_PROPOSALS_PER_SENDER = 8192;

    private final String selfId;
    private final LogStorage raftLog;
    private final HardStateStore hardStateStore;
    private final SnapshotStore snapshotStore;
    private final Transport transport;
    private final EventLoop loop;
    private final StateMachine stateMachine;
    private final RandomGenerator random;
    private final RaftOptions options;
    private final RaftMetrics metrics;
    private final List<LeadershipListener> listeners = new ArrayList<>();
    private final ConfigTracker configs;
    private final SessionTable sessions;
    private final long electionTimeoutMin;
    private final long electionTimeoutMax;
    private final long heartbeatInterval;

    private long currentTerm;
    private String votedFor;
    private Role role = Role.FOLLOWER;
    private String leaderId;
    private long commitIndex;
    private long lastApplied;
    /** Size of the latest snapshot (taken, installed or loaded), and the entry bytes applied since: the growth rule. */
    private long snapshotBytes;
    private long appliedBytesSinceSnapshot;
    private boolean unsyncedAppends;
    private long electionCount;
    private boolean started;
    private boolean closed;
    private Throwable failure;
    /** See {@link RaftStatus#catchUpIndex()}. */
    private long catchUpIndex = -1;

    private long electionDeadline;
    private long lastLeaderContact = Long.MIN_VALUE / 2;
    private Cancellable electionTimer;
    private Cancellable heartbeatTimer;
    private final Set<String> votes = new HashSet<>();

    private final Map<String, Progress> progress = new LinkedHashMap<>();
    private long leaderSince;
    private long durableIndex;
    private boolean committedInTerm;
    private boolean flushScheduled;
    private final TreeMap<Long, PendingCommand> pendingCommands = new TreeMap<>();
    private PendingChange pendingChange;
    private String transferTarget;
    private long transferDeadline;
    private boolean timeoutNowSent;
    private CompletableFuture<Void> transferFuture;

    private long readRound;
    private boolean readRoundScheduled;
    private final List<PendingRead> readsAwaitingTermCommit = new ArrayList<>();
    private final ArrayDeque<PendingRead> readsAwaitingRound = new ArrayDeque<>();
    private final List<PendingRead> readsAwaitingApply = new ArrayList<>();

    private SnapshotAssembler incomingSnapshot;
    private volatile RaftStatus status;

    // Proposals from followers (etcd's MsgProp): see submit() and onProposeRequest().
    /** Unanswered proposals of this node, oldest first. Ids start at random so that no restart reuses one. */
    private final LinkedHashMap<Long, Proposal> proposals = new LinkedHashMap<>();
    private final PriorityQueue<AppliedProposal> appliedProposals =
            new PriorityQueue<>(Comparator.comparingLong(applied -> applied.result().index()));
    private long nextProposalId;
    /** Per sender, the proposal ids this node has answered or accepted (least recent first). */
    private final Map<String, LinkedHashSet<Long>> seenProposals = new HashMap<>();
    /** The term and vote recovered at start: what this node may have done before it restarted. */
    private long termAtStart;
    private boolean votedForSelfAtStart;

    public RaftCore(String selfId, ClusterConfig initialConfig, RaftStorage storage, Transport transport,
                    EventLoop loop, StateMachine stateMachine, RandomGenerator random, RaftOptions options,
                    RaftMetrics metrics) {
        this.selfId = selfId;
        this.raftLog = storage.log();
        this.hardStateStore = storage.hardState();
        this.snapshotStore = storage.snapshots();
        this.transport = transport;
        this.loop = loop;
        this.stateMachine = stateMachine;
        this.random = random;
        this.options = options;
        this.metrics = metrics;
        this.configs = new ConfigTracker(initialConfig);
        this.sessions = new SessionTable(options.sessionExpiryEntries(), options.maxSessions());
        this.electionTimeoutMin = options.electionTimeoutMin().toMillis();
        this.electionTimeoutMax = options.electionTimeoutMax().toMillis();
        this.heartbeatInterval = options.heartbeatInterval().toMillis();
        this.nextProposalId = random.nextLong() >>> 1;
        publishStatus();
    }

    // ---------------------------------------------------------------- lifecycle

    /** Recovers term, vote, snapshot and membership from storage, then waits for a leader. */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        HardState hardState = hardStateStore.load();
        currentTerm = hardState.term();
        votedFor = hardState.votedFor();
        termAtStart = currentTerm;
        votedForSelfAtStart = selfId.equals(votedFor);
        Optional<Snapshot> snapshot = snapshotStore.latest();
        if (snapshot.isPresent()) {
            SnapshotMeta meta = snapshot.get().meta();
            alignLogWithSnapshot(meta.lastIncludedIndex(), meta.lastIncludedTerm());
            restoreState(snapshot.get());
        }
        for (long index = Math.max(raftLog.firstIndex(), raftLog.snapshotIndex() + 1);
             index <= raftLog.lastIndex(); index++) {
            LogEntry entry = raftLog.entry(index);
            if (entry.type() == EntryType.CONFIGURATION) {
                configs.appended(index, ClusterConfig.decode(entry.data()));
            }
        }
        updatePeers();
        transport.start(message -> loop.execute(guarded(() -> handle(message))));
        resetElectionTimer();
        if (configs.latest().contains(selfId) && hasQuorum(Set.of(selfId))) {
            // A sole voter needs nobody's vote: campaigning at once instead of after an election time-out makes a
            // one-node group (./flotilla up's registry and coordinator) ready 1-2 s sooner. No other member could
            // lead this configuration, so nothing is lost by not waiting for one.
            startPreVote();
        }
        publishStatus();
        log.info("{} started at term {} with log {}..{}, snapshot {}", selfId, currentTerm, raftLog.firstIndex(),
                raftLog.lastIndex(), raftLog.snapshotIndex());
    }

    public void close() {
        if (closed) {
            return;
        }
        if (role == Role.LEADER) {
            leaveLeadership();
        }
        role = Role.FOLLOWER;
        leaderId = null;
        closed = true;
        cancelTimers();
        RaftException closedError = new RaftException("node " + selfId + " closed");
        readsAwaitingApply.forEach(read -> read.future().completeExceptionally(closedError));
        readsAwaitingApply.clear();
        failUnansweredProposals("node " + selfId + " closed");
        List<AppliedProposal> applied = List.copyOf(appliedProposals);
        appliedProposals.clear();
        applied.forEach(proposal -> proposal.future().completeExceptionally(closedError));
        transport.close();
        publishStatus();
    }

    /**
     * Wraps work on the loop (messages, timers, client calls) so that an unexpected failure stops the node
     * before the failure propagates. Fail-stop is the only safe answer to, say, an fsync that failed on a full
     * disk: the in-memory log may now be ahead of the disk, and a node that kept voting or acknowledging could
     * lose committed entries. The peers carry on; a restart recovers from what is durable. The failure is
     * rethrown so the event loop reports it (and the simulator fails the seed).
     */
    public Runnable guarded(Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                halt(e);
                throw e;
            }
        };
    }

    /** Stops the node after an unexpected failure: pending work fails, the transport closes, nothing more runs. */
    public void halt(Throwable cause) {
        if (closed) {
            return;
        }
        log.error("{} stops (fail-stop) after an unexpected failure, restart it to recover from disk: {}", selfId,
                cause.toString());
        failure = cause;
        close();
    }

    public void addLeadershipListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    public RaftStatus status() {
        return status;
    }

    // ---------------------------------------------------------------- client API (on the loop)

    /**
     * A leader appends the command; a follower that knows its leader proposes it to that leader over the
     * transport ({@link ProposeRequest}) and answers once the leader reports it applied and this node has applied
     * it as well, so a read here right after sees the write.
     */
    public void submit(ClientRequest request, byte[] command, CompletableFuture<CommandResult> future) {
        if (!closed && started && role == Role.FOLLOWER && leaderId != null) {
            propose(request, command, future);
            return;
        }
        appendCommand(request, command, future);
    }

    /** Appends only as the leader; a follower refuses instead of proposing. */
    public void submitAtLeader(byte[] command, CompletableFuture<CommandResult> future) {
        appendCommand(null, command, future);
    }

    private void appendCommand(ClientRequest request, byte[] command, CompletableFuture<CommandResult> future) {
        Optional<RaftException> refusal = writeRefusal();
        if (refusal.isPresent()) {
            future.completeExceptionally(refusal.get());
            return;
        }
        CommandEnvelope envelope = request == null
                ? new CommandEnvelope(null, 0, command)
                : new CommandEnvelope(request.clientId(), request.sequence(), request.command());
        long index = appendAsLeader(EntryType.COMMAND, envelope.encode());
        pendingCommands.put(index, new PendingCommand(currentTerm, future));
    }

    public void read(byte[] query, ReadConsistency consistency, long minIndex,
                     CompletableFuture<ReadResult> future) {
        if (closed) {
            future.completeExceptionally(new RaftException("node " + selfId + " closed"));
            return;
        }
        if (consistency == ReadConsistency.STALE) {
            readsAwaitingApply.add(new PendingRead(0, 0, query, minIndex, future));
            serveReads();
            return;
        }
        if (role != Role.LEADER) {
            future.completeExceptionally(notLeader());
            return;
        }
        PendingRead read = new PendingRead(readRound + 1, 0, query, minIndex, future);
        if (committedInTerm) {
            registerForRound(read);
        } else {
            // A new leader's commitIndex may lag what its predecessor committed: wait for its own entry.
            readsAwaitingTermCommit.add(read);
        }
    }

    public void changeMembership(ClusterConfig.Member added, String removedId, CompletableFuture<Void> future) {
        Optional<RaftException> refusal = writeRefusal();
        if (refusal.isPresent()) {
            future.completeExceptionally(refusal.get());
            return;
        }
        if (!committedInTerm) {
            future.completeExceptionally(new LeaderUnavailableException(
                    "leader " + selfId + " has not committed an entry of its term yet; retry shortly"));
            return;
        }
        if (configs.latestIndex() > commitIndex) {
            future.completeExceptionally(new RaftException("a membership change is already in progress"));
            return;
        }
        ClusterConfig current = configs.latest();
        List<ClusterConfig.Member> members = new ArrayList<>(current.members());
        if (added != null) {
            if (current.contains(added.id())) {
                future.complete(null);
                return;
            }
            members.add(added);
        } else {
            if (!current.contains(removedId)) {
                future.complete(null);
                return;
            }
            if (members.size() == 1) {
                future.completeExceptionally(new IllegalArgumentException("cannot remove the last member"));
                return;
            }
            members.removeIf(member -> member.id().equals(removedId));
        }
        long index = appendAsLeader(EntryType.CONFIGURATION, new ClusterConfig(members).encode());
        pendingChange = new PendingChange(index, future);
    }

    public void transferLeadership(String targetId, CompletableFuture<Void> future) {
        if (role != Role.LEADER) {
            future.completeExceptionally(notLeader());
            return;
        }
        if (targetId.equals(selfId)) {
            future.complete(null);
            return;
        }
        if (!configs.latest().contains(targetId)) {
            future.completeExceptionally(new IllegalArgumentException(targetId + " is not a member"));
            return;
        }
        if (transferFuture != null) {
            future.completeExceptionally(new RaftException("a leadership transfer is already in progress"));
            return;
        }
        transferTarget = targetId;
        transferDeadline = loop.nowMillis() + electionTimeoutMax;
        timeoutNowSent = false;
        transferFuture = future;
        maybeSendTimeoutNow(progress.get(targetId));
        publishStatus();
    }

    private Optional<RaftException> writeRefusal() {
        if (closed) {
            return Optional.of(new RaftException("node " + selfId + " closed"));
        }
        if (role != Role.LEADER) {
            return Optional.of(notLeader());
        }
        if (transferTarget != null) {
            return Optional.of(new LeaderUnavailableException("leadership is being transferred to "
                    + transferTarget));
        }
        return Optional.empty();
    }

    private RaftException notLeader() {
        if (leaderId != null && !leaderId.equals(selfId)) {
            Optional<ClusterConfig.Member> leader = configs.latest().member(leaderId);
            if (leader.isPresent()) {
                return new NotLeaderException(leaderId, leader.get().address());
            }
        }
        return new LeaderUnavailableException("no leader known to " + selfId + " (election in progress)");
    }

    // ---------------------------------------------------------------- message dispatch

    public void handle(RaftMessage message) {
        if (closed || !started || !message.to().equals(selfId)) {
            return;
        }
        switch (message) {
            case VoteRequest request -> onVoteRequest(request);
            case VoteResponse response -> onVoteResponse(response);
            case AppendEntriesRequest request -> onAppendEntries(request);
            case AppendEntriesResponse response -> onAppendEntriesResponse(response);
            case InstallSnapshotRequest request -> onInstallSnapshot(request);
            case InstallSnapshotResponse response -> onInstallSnapshotResponse(response);
            case TimeoutNowRequest request -> onTimeoutNow(request);
            case ProposeRequest request -> onProposeRequest(request);
            case ProposeResponse response -> onProposeResponse(response);
        }
        publishStatus();
    }

    // ---------------------------------------------------------------- elections

    private void resetElectionTimer() {
        long timeout = electionTimeoutMin + random.nextLong(electionTimeoutMax - electionTimeoutMin + 1);
        electionDeadline = loop.nowMillis() + timeout;
        if (electionTimer == null) {
            electionTimer = loop.schedule(timeout, guarded(this::onElectionTimer));
        }
    }

    /** One timer re-armed lazily instead of cancelled on every heartbeat. */
    private void onElectionTimer() {
        electionTimer = null;
        if (closed || role == Role.LEADER) {
            return;
        }
        long now = loop.nowMillis();
        expireProposals(now);
        if (now < electionDeadline) {
            electionTimer = loop.schedule(electionDeadline - now, guarded(this::onElectionTimer));
            return;
        }
        resetElectionTimer();
        if (configs.latest().contains(selfId)) {
            startPreVote();
        }
        publishStatus();
    }

    private void startPreVote() {
        syncIfNeeded();
        failUnansweredProposals("leader " + leaderId + " lost");
        role = Role.PRE_CANDIDATE;
        leaderId = null;
        catchUpIndex = -1;
        votes.clear();
        votes.add(selfId);
        if (hasQuorum(votes)) {
            startElection(false);
            return;
        }
        broadcastVoteRequest(currentTerm + 1, true, false);
    }

    private void startElection(boolean transfer) {
        syncIfNeeded();
        failUnansweredProposals("an election started");
        role = Role.CANDIDATE;
        leaderId = null;
        catchUpIndex = -1;
        currentTerm++;
        votedFor = selfId;
        saveHardState();
        electionCount++;
        metrics.electionStarted();
        votes.clear();
        votes.add(selfId);
        resetElectionTimer();
        if (hasQuorum(votes)) {
            becomeLeader();
            return;
        }
        broadcastVoteRequest(currentTerm, false, transfer);
    }

    private void broadcastVoteRequest(long term, boolean preVote, boolean transfer) {
        long lastIndex = raftLog.lastIndex();
        long lastTerm = raftLog.term(lastIndex);
        for (ClusterConfig.Member member : configs.latest().members()) {
            if (!member.id().equals(selfId)) {
                transport.send(new VoteRequest(selfId, member.id(), term, lastIndex, lastTerm, preVote, transfer));
            }
        }
    }

    private void onVoteRequest(VoteRequest request) {
        long now = loop.nowMillis();
        boolean heardFromLeader = role == Role.LEADER
                || (leaderId != null && now - lastLeaderContact < electionTimeoutMin);
        if (request.term() > currentTerm && heardFromLeader && !request.leadershipTransfer()) {
            // Leader stickiness: a live leader exists, so this candidate is partitioned or impatient.
            reply(new VoteResponse(selfId, request.from(), currentTerm, false, request.preVote()));
            return;
        }
        boolean logOk = candidateLogUpToDate(request.lastLogIndex(), request.lastLogTerm());
        if (request.preVote()) {
            boolean grant = logOk && (request.term() > currentTerm
                    || (request.term() == currentTerm && leaderId == null
                    && (votedFor == null || votedFor.equals(request.from()))));
            reply(new VoteResponse(selfId, request.from(), grant ? request.term() : currentTerm, grant, true));
            return;
        }
        if (request.term() > currentTerm) {
            becomeFollower(request.term(), null);
        }
        boolean grant = request.term() == currentTerm && logOk
                && (votedFor == null || votedFor.equals(request.from()));
        if (grant) {
            votedFor = request.from();
            saveHardState();
            resetElectionTimer();
        }
        reply(new VoteResponse(selfId, request.from(), currentTerm, grant, false));
    }

    private boolean candidateLogUpToDate(long lastIndex, long lastTerm) {
        long myLastIndex = raftLog.lastIndex();
        long myLastTerm = raftLog.term(myLastIndex);
        return lastTerm > myLastTerm || (lastTerm == myLastTerm && lastIndex >= myLastIndex);
    }

    private void onVoteResponse(VoteResponse response) {
        if (response.preVote()) {
            if (!response.granted() && response.term() > currentTerm) {
                becomeFollower(response.term(), null);
                return;
            }
            if (role == Role.PRE_CANDIDATE && response.granted() && response.term() == currentTerm + 1) {
                votes.add(response.from());
                if (hasQuorum(votes)) {
                    startElection(false);
                }
            }
            return;
        }
        if (response.term() > currentTerm) {
            becomeFollower(response.term(), null);
            return;
        }
        if (role == Role.CANDIDATE && response.term() == currentTerm && response.granted()) {
            votes.add(response.from());
            if (hasQuorum(votes)) {
                becomeLeader();
            }
        }
    }

    private boolean hasQuorum(Set<String> voters) {
        ClusterConfig config = configs.latest();
        long count = config.members().stream().filter(member -> voters.contains(member.id())).count();
        return count >= config.quorum();
    }

    private void onTimeoutNow(TimeoutNowRequest request) {
        if (request.term() < currentTerm || !configs.latest().contains(selfId)) {
            return;
        }
        if (request.term() > currentTerm) {
            becomeFollower(request.term(), request.from());
        }
        log.info("{} starts an election at the request of leader {}", selfId, request.from());
        startElection(true);
    }

    private void becomeFollower(long term, String leader) {
        boolean wasLeader = role == Role.LEADER;
        if (term > currentTerm || leader == null || !leader.equals(leaderId)) {
            catchUpIndex = -1;
            failUnansweredProposals("leadership moved from " + leaderId + " (term " + currentTerm + ")");
        }
        if (term > currentTerm) {
            currentTerm = term;
            votedFor = null;
            saveHardState();
        }
        role = Role.FOLLOWER;
        leaderId = leader;
        if (wasLeader) {
            leaveLeadership();
        }
        resetElectionTimer();
    }

    // ---------------------------------------------------------------- leadership

    private void becomeLeader() {
        role = Role.LEADER;
        leaderId = selfId;
        long now = loop.nowMillis();
        leaderSince = now;
        committedInTerm = false;
        catchUpIndex = -1;
        durableIndex = raftLog.lastIndex();
        progress.clear();
        for (ClusterConfig.Member member : configs.latest().members()) {
            addProgress(member.id(), now);
        }
        log.info("{} became leader of term {}", selfId, currentTerm);
        // Entries of earlier terms commit only together with one of this term (Raft §5.4.2).
        appendAsLeader(EntryType.NOOP, new byte[0]);
        heartbeatTimer = loop.schedule(heartbeatInterval, guarded(this::onHeartbeatTimer));
        for (LeadershipListener listener : listeners) {
            listener.onBecameLeader(currentTerm);
        }
    }

    private void addProgress(String id, long now) {
        if (!id.equals(selfId) && !progress.containsKey(id)) {
            progress.put(id, new Progress(id, raftLog.lastIndex() + 1, now));
            metrics.followerAdded(id);
        }
    }

    /** Releases everything only a leader holds; called when it steps down or closes. */
    private void leaveLeadership() {
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
            heartbeatTimer = null;
        }
        RaftException error = notLeader();
        pendingCommands.values().forEach(pending -> pending.future().completeExceptionally(error));
        pendingCommands.clear();
        readsAwaitingTermCommit.forEach(read -> read.future().completeExceptionally(error));
        readsAwaitingTermCommit.clear();
        readsAwaitingRound.forEach(read -> read.future().completeExceptionally(error));
        readsAwaitingRound.clear();
        if (pendingChange != null) {
            pendingChange.future().completeExceptionally(error);
            pendingChange = null;
        }
        if (transferFuture != null) {
            if (timeoutNowSent) {
                transferFuture.complete(null);
            } else {
                transferFuture.completeExceptionally(error);
            }
            transferFuture = null;
            transferTarget = null;
        }
        progress.clear();
        long term = currentTerm;
        for (LeadershipListener listener : listeners) {
            listener.onLostLeadership(term);
        }
    }

    private long appendAsLeader(EntryType type, byte[] data) {
        long index = raftLog.lastIndex() + 1;
        raftLog.append(List.of(new LogEntry(index, currentTerm, type, data)));
        unsyncedAppends = true;
        if (type == EntryType.CONFIGURATION) {
            configs.appended(index, ClusterConfig.decode(data));
            membershipChanged();
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(guarded(this::flush));
        }
        return index;
    }

    /**
     * Group commit: one sync for everything appended in this loop turn. The entries go to the followers before the
     * leader's own sync (the Raft dissertation, section 10.2.1), so the followers' fsyncs run while the leader's does
     * instead of after it; the leader counts itself towards a quorum only up to {@code durableIndex}, which moves
     * after its sync, so an entry is still committed only once a majority holds it on disk.
     */
    private void flush() {
        flushScheduled = false;
        if (closed || role != Role.LEADER) {
            return;
        }
        for (Progress follower : progress.values()) {
            replicate(follower);
        }
        syncIfNeeded();
        durableIndex = raftLog.lastIndex();
        advanceCommitIndex();
        publishStatus();
    }

    private void membershipChanged() {
        ClusterConfig latest = configs.latest();
        updatePeers();
        if (role == Role.LEADER) {
            long now = loop.nowMillis();
            for (ClusterConfig.Member member : latest.members()) {
                addProgress(member.id(), now);
            }
            progress.keySet().removeIf(id -> !latest.contains(id));
        }
    }

    private void updatePeers() {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (ClusterConfig.Member member : configs.latest().members()) {
            addresses.put(member.id(), member.address());
        }
        transport.updatePeers(addresses);
    }

    private void onHeartbeatTimer() {
        heartbeatTimer = null;
        if (closed || role != Role.LEADER) {
            return;
        }
        heartbeatTimer = loop.schedule(heartbeatInterval, guarded(this::onHeartbeatTimer));
        long now = loop.nowMillis();
        if (!checkQuorum(now)) {
            log.info("{} steps down: no majority heard from within {}ms", selfId, electionTimeoutMin);
            becomeFollower(currentTerm, null);
            publishStatus();
            return;
        }
        if (transferFuture != null && now > transferDeadline) {
            transferFuture.completeExceptionally(new RaftException("leadership transfer to " + transferTarget
                    + " did not finish within " + electionTimeoutMax + "ms"));
            transferFuture = null;
            transferTarget = null;
        }
        for (Progress follower : progress.values()) {
            heartbeat(follower, now);
        }
        publishStatus();
    }

    /** Check-quorum: a leader cut off from a majority steps down instead of serving stale reads. */
    private boolean checkQuorum(long now) {
        if (now - leaderSince < electionTimeoutMin) {
            return true;
        }
        ClusterConfig config = configs.latest();
        int active = config.contains(selfId) ? 1 : 0;
        for (Progress follower : progress.values()) {
            if (now - follower.lastContactMillis < electionTimeoutMin) {
                active++;
            }
        }
        return active >= config.quorum();
    }

    private void heartbeat(Progress follower, long now) {
        switch (follower.state) {
            case SNAPSHOT -> {
                if (now - follower.snapshotSentMillis >= electionTimeoutMin) {
                    sendSnapshotChunk(follower);
                }
            }
            case PROBE -> {
                follower.probeSent = false;
                replicate(follower);
            }
            case REPLICATE -> {
                if (!follower.inFlight.isEmpty() && ++follower.quietTicks > 2) {
                    // Appends or their answers were lost; find the follower's position again.
                    follower.becomeProbe();
                    replicate(follower);
                    return;
                }
                if (follower.matchIndex >= raftLog.snapshotIndex()) {
                    sendAppend(follower, follower.matchIndex, List.of());
                }
                replicate(follower);
            }
        }
    }

    /** Sends what the follower's state allows: one probe, or batches up to the in-flight bound. */
    private void replicate(Progress follower) {
        while (true) {
            if (follower.state == Progress.State.SNAPSHOT) {
                return;
            }
            if (follower.nextIndex < raftLog.firstIndex()) {
                startSnapshot(follower);
                return;
            }
            long lastIndex = raftLog.lastIndex();
            if (follower.state == Progress.State.PROBE) {
                if (follower.probeSent) {
                    return;
                }
                List<LogEntry> entries = follower.nextIndex <= lastIndex
                        ? raftLog.entries(follower.nextIndex, lastIndex + 1, options.maxBatchBytes())
                        : List.of();
                sendAppend(follower, follower.nextIndex - 1, entries);
                follower.probeSent = true;
                return;
            }
            if (follower.nextIndex > lastIndex || follower.inFlight.size() >= options.maxInFlightAppends()) {
                return;
            }
            List<LogEntry> entries = raftLog.entries(follower.nextIndex, lastIndex + 1, options.maxBatchBytes());
            sendAppend(follower, follower.nextIndex - 1, entries);
            long sentUpTo = entries.getLast().index();
            follower.inFlight.addLast(sentUpTo);
            follower.nextIndex = sentUpTo + 1;
        }
    }

    private void sendAppend(Progress follower, long prevLogIndex, List<LogEntry> entries) {
        transport.send(new AppendEntriesRequest(selfId, follower.id, currentTerm, prevLogIndex,
                raftLog.term(prevLogIndex), entries, commitIndex, readRound));
    }

    private void onAppendEntriesResponse(AppendEntriesResponse response) {
        if (response.term() > currentTerm) {
            becomeFollower(response.term(), null);
            return;
        }
        if (role != Role.LEADER || response.term() < currentTerm) {
            return;
        }
        Progress follower = progress.get(response.from());
        if (follower == null) {
            return;
        }
        follower.lastContactMillis = loop.nowMillis();
        follower.ackedReadRound = Math.max(follower.ackedReadRound, response.readContext());
        if (response.success()) {
            follower.acknowledged(response.matchIndex());
            if (response.matchIndex() > follower.matchIndex) {
                follower.matchIndex = response.matchIndex();
                advanceCommitIndex();
            }
            if (follower.state == Progress.State.PROBE) {
                follower.becomeReplicate();
            } else if (follower.state == Progress.State.REPLICATE) {
                follower.nextIndex = Math.max(follower.nextIndex, follower.matchIndex + 1);
            }
            if (role != Role.LEADER) {
                return;
            }
            maybeSendTimeoutNow(follower);
        } else if (follower.state != Progress.State.SNAPSHOT) {
            long next = nextIndexAfterRejection(follower, response);
            follower.becomeProbe();
            follower.nextIndex = Math.max(follower.matchIndex + 1, next);
        }
        replicate(follower);
        confirmReads();
    }

    /**
     * Fast back-off: skip the follower's whole conflicting term at once. If this log holds that term, resume
     * after its last entry of it; otherwise resume at the first index the follower holds with it.
     */
    private long nextIndexAfterRejection(Progress follower, AppendEntriesResponse response) {
        if (response.conflictTerm() == 0) {
            return Math.min(response.conflictIndex(), follower.nextIndex);
        }
        long floor = raftLog.firstIndex();
        for (long index = Math.min(raftLog.lastIndex(), follower.nextIndex - 1); index >= floor; index--) {
            long term = raftLog.term(index);
            if (term == response.conflictTerm()) {
                return index + 1;
            }
            if (term < response.conflictTerm()) {
                break;
            }
        }
        return Math.min(response.conflictIndex(), follower.nextIndex);
    }

    private void maybeSendTimeoutNow(Progress follower) {
        if (follower != null && follower.id.equals(transferTarget) && !timeoutNowSent
                && follower.matchIndex == raftLog.lastIndex()) {
            timeoutNowSent = true;
            transport.send(new TimeoutNowRequest(selfId, follower.id, currentTerm));
        }
    }

    private void advanceCommitIndex() {
        if (role != Role.LEADER) {
            return;
        }
        long quorumIndex = reachedByQuorum(durableIndex, follower -> follower.matchIndex);
        if (quorumIndex > commitIndex && raftLog.term(quorumIndex) == currentTerm) {
            commitIndex = quorumIndex;
            if (!committedInTerm) {
                committedInTerm = true;
                catchUpIndex = commitIndex;
                readsAwaitingTermCommit.forEach(this::registerForRound);
                readsAwaitingTermCommit.clear();
            }
            applyCommitted();
        }
    }

    // ---------------------------------------------------------------- follower side of replication

    /** A valid message from the leader of {@code term}: follow it and push the election back. */
    private void acceptLeader(long term, String leader) {
        if (term > currentTerm || role != Role.FOLLOWER || !leader.equals(leaderId)) {
            becomeFollower(term, leader);
        }
        lastLeaderContact = loop.nowMillis();
        resetElectionTimer();
    }

    private void onAppendEntries(AppendEntriesRequest request) {
        if (request.term() < currentTerm) {
            reply(new AppendEntriesResponse(selfId, request.from(), currentTerm, false, 0, 0, 0,
                    request.readContext()));
            return;
        }
        acceptLeader(request.term(), request.from());
        long prevLogIndex = request.prevLogIndex();
        long prevLogTerm = request.prevLogTerm();
        List<LogEntry> entries = request.entries();
        long lastNewIndex = prevLogIndex + entries.size();
        if (prevLogIndex < raftLog.snapshotIndex()) {
            // Everything up to our snapshot is committed and therefore matches the leader; skip that part.
            long covered = raftLog.snapshotIndex() - prevLogIndex;
            if (covered >= entries.size()) {
                replySuccess(request, lastNewIndex);
                return;
            }
            entries = entries.subList((int) covered, entries.size());
            prevLogIndex = raftLog.snapshotIndex();
            prevLogTerm = raftLog.snapshotTerm();
        }
        if (prevLogIndex > raftLog.lastIndex()) {
            reply(new AppendEntriesResponse(selfId, request.from(), currentTerm, false, 0,
                    raftLog.lastIndex() + 1, 0, request.readContext()));
            return;
        }
        long localTerm = raftLog.term(prevLogIndex);
        if (localTerm != prevLogTerm) {
            long firstOfTerm = prevLogIndex;
            while (firstOfTerm - 1 > raftLog.snapshotIndex() && raftLog.term(firstOfTerm - 1) == localTerm) {
                firstOfTerm--;
            }
            reply(new AppendEntriesResponse(selfId, request.from(), currentTerm, false, 0, firstOfTerm, localTerm,
                    request.readContext()));
            return;
        }
        appendFromLeader(entries);
        syncIfNeeded();
        if (catchUpIndex < 0) {
            catchUpIndex = request.leaderCommit();
        }
        long newCommit = Math.min(request.leaderCommit(), lastNewIndex);
        if (newCommit > commitIndex) {
            commitIndex = newCommit;
            applyCommitted();
        }
        replySuccess(request, lastNewIndex);
    }

    private void replySuccess(AppendEntriesRequest request, long matchIndex) {
        reply(new AppendEntriesResponse(selfId, request.from(), currentTerm, true, matchIndex, 0, 0,
                request.readContext()));
    }

    /** Appends what is new, first cutting off a conflicting suffix (never a committed entry). */
    private void appendFromLeader(List<LogEntry> entries) {
        int firstNew = 0;
        while (firstNew < entries.size()) {
            LogEntry entry = entries.get(firstNew);
            if (entry.index() > raftLog.lastIndex()) {
                break;
            }
            if (raftLog.term(entry.index()) != entry.term()) {
                if (entry.index() <= commitIndex) {
                    throw new IllegalStateException(selfId + ": leader " + leaderId
                            + " conflicts with committed entry " + entry.index());
                }
                raftLog.truncateSuffix(entry.index());
                configs.truncatedFrom(entry.index());
                membershipChanged();
                break;
            }
            firstNew++;
        }
        if (firstNew == entries.size()) {
            return;
        }
        List<LogEntry> fresh = entries.subList(firstNew, entries.size());
        raftLog.append(fresh);
        unsyncedAppends = true;
        boolean configChanged = false;
        for (LogEntry entry : fresh) {
            if (entry.type() == EntryType.CONFIGURATION) {
                configs.appended(entry.index(), ClusterConfig.decode(entry.data()));
                configChanged = true;
            }
        }
        if (configChanged) {
            membershipChanged();
        }
    }

    private void syncIfNeeded() {
        if (unsyncedAppends) {
            long started = System.nanoTime();
            raftLog.sync();
            metrics.logSynced(System.nanoTime() - started);
            unsyncedAppends = false;
        }
    }

    // ---------------------------------------------------------------- applying

    private void applyCommitted() {
        while (lastApplied < commitIndex) {
            LogEntry entry = raftLog.entry(lastApplied + 1);
            lastApplied = entry.index();
            appliedBytesSinceSnapshot += entry.data().length;
            switch (entry.type()) {
                case COMMAND -> applyCommand(entry);
                case CONFIGURATION -> configurationCommitted(entry);
                case NOOP -> {
                    PendingCommand pending = pendingCommands.remove(entry.index());
                    if (pending != null) {
                        pending.future().completeExceptionally(notLeader());
                    }
                }
            }
        }
        serveReads();
        answerAppliedProposals();
        maybeSnapshot();
    }

    private void applyCommand(LogEntry entry) {
        CommandEnvelope envelope = CommandEnvelope.decode(entry.data());
        byte[] result;
        RaftException failure = null;
        if (envelope.clientId() == null) {
            result = stateMachine.apply(entry.index(), envelope.command());
        } else {
            switch (sessions.lookup(envelope.clientId(), envelope.sequence())) {
                case SessionTable.Fresh ignored -> {
                    result = stateMachine.apply(entry.index(), envelope.command());
                    sessions.record(envelope.clientId(), envelope.sequence(), result, entry.index());
                }
                case SessionTable.Duplicate duplicate -> result = duplicate.result();
                case SessionTable.Stale stale -> {
                    result = null;
                    failure = new StaleRequestException(envelope.clientId(), envelope.sequence(),
                            stale.lastSequence());
                }
            }
        }
        PendingCommand pending = pendingCommands.remove(entry.index());
        if (pending == null) {
            return;
        }
        if (pending.term() != entry.term()) {
            pending.future().completeExceptionally(notLeader());
        } else if (failure != null) {
            pending.future().completeExceptionally(failure);
        } else {
            pending.future().complete(new CommandResult(result, entry.index()));
        }
    }

    private void configurationCommitted(LogEntry entry) {
        if (pendingChange != null && pendingChange.index() == entry.index()) {
            pendingChange.future().complete(null);
            pendingChange = null;
        }
        if (role == Role.LEADER && entry.index() == configs.latestIndex() && !configs.latest().contains(selfId)) {
            log.info("{} steps down: removed from the cluster", selfId);
            becomeFollower(currentTerm, null);
        }
    }

    // ---------------------------------------------------------------- proposals from followers

    private void propose(ClientRequest request, byte[] command, CompletableFuture<CommandResult> future) {
        long id = nextProposalId++;
        proposals.put(id, new Proposal(leaderId, request, loop.nowMillis(), future));
        transport.send(new ProposeRequest(selfId, leaderId, currentTerm, id,
                request == null ? "" : request.clientId(), request == null ? 0 : request.sequence(), command));
    }

    /**
     * The leader's side. A proposal is appended only by the leader of the term it names, once per id (a
     * duplicate is dropped unanswered). Refusing says "not applied" only when this node can prove that no copy was
     * appended: it never led the proposal's term, or it leads (led) it in this run, where it has seen every copy.
     * Otherwise (it may have led that term before a restart) the answer is {@code UNKNOWN}.
     */
    private void onProposeRequest(ProposeRequest request) {
        if (!firstSighting(request.from(), request.proposalId())) {
            return;
        }
        Optional<RaftException> refusal = writeRefusal();
        if (refusal.isEmpty() && request.term() == currentTerm) {
            ClientRequest session = request.hasSession()
                    ? new ClientRequest(request.clientId(), request.sequence(), request.command()) : null;
            long term = currentTerm;
            CompletableFuture<CommandResult> done = new CompletableFuture<>();
            // Completes on this loop: when the entry applies here, or fails when leadership is lost.
            done.whenComplete((result, failure) -> reply(proposalAnswer(request, term, result, failure)));
            appendCommand(session, request.command(), done);
            return;
        }
        ProposeResponse.Outcome outcome = neverAppendedHere(request.term())
                ? ProposeResponse.Outcome.REFUSED : ProposeResponse.Outcome.UNKNOWN;
        String hint = leaderId != null && !leaderId.equals(selfId) ? leaderId : "";
        reply(new ProposeResponse(selfId, request.from(), currentTerm, request.proposalId(), outcome, 0, 0,
                NO_BYTES, hint));
    }

    /** Whether this node has not appended a proposal of {@code term} that it has not seen in this run. */
    private boolean neverAppendedHere(long term) {
        // A node leads a term only after campaigning into it: terms after the one recovered at start were led, if
        // at all, in this run; the recovered term only if this node had voted for itself in it.
        return term > termAtStart || (term == termAtStart && !votedForSelfAtStart);
    }

    /** Records that {@code id} from {@code sender} was seen; false if it had been already. */
    private boolean firstSighting(String sender, long id) {
        LinkedHashSet<Long> seen = seenProposals.computeIfAbsent(sender, ignored -> new LinkedHashSet<>());
        if (!seen.add(id)) {
            return false;
        }
        if (seen.size() > REMEMBERED_PROPOSALS_PER_SENDER) {
            seen.remove(seen.iterator().next());
        }
        return true;
    }

    private ProposeResponse proposalAnswer(ProposeRequest request, long term, CommandResult result,
                                           Throwable failure) {
        if (failure == null) {
            return new ProposeResponse(selfId, request.from(), currentTerm, request.proposalId(),
                    ProposeResponse.Outcome.APPLIED, result.index(), term,
                    result.result() == null ? NO_BYTES : result.result(), "");
        }
        if (failure instanceof StaleRequestException stale) {
            return new ProposeResponse(selfId, request.from(), currentTerm, request.proposalId(),
                    ProposeResponse.Outcome.STALE, stale.lastApplied(), 0, NO_BYTES, "");
        }
        // Appended, then leadership was lost before it committed: a later leader may still commit it.
        return new ProposeResponse(selfId, request.from(), currentTerm, request.proposalId(),
                ProposeResponse.Outcome.UNKNOWN, 0, 0, NO_BYTES, "");
    }

    /** The follower's side: the answer of the leader the proposal went to. */
    private void onProposeResponse(ProposeResponse response) {
        Proposal proposal = proposals.get(response.proposalId());
        if (proposal == null || !proposal.leaderId().equals(response.from())) {
            return;
        }
        proposals.remove(response.proposalId());
        CompletableFuture<CommandResult> future = proposal.future();
        switch (response.outcome()) {
            case APPLIED -> {
                learnCommitted(response.index(), response.entryTerm());
                appliedProposals.add(new AppliedProposal(new CommandResult(response.result(), response.index()),
                        future));
                answerAppliedProposals();
            }
            case REFUSED -> future.completeExceptionally(new ProposalRefusedException(
                    refusalReason(response.from(), response.leaderHint())));
            case STALE -> future.completeExceptionally(proposal.request() == null
                    ? new RaftException("leader " + response.from() + " answered stale to a command without session")
                    : new StaleRequestException(proposal.request().clientId(), proposal.request().sequence(),
                    response.index()));
            case UNKNOWN -> future.completeExceptionally(new LeaderUnavailableException("leader "
                    + response.from() + " lost leadership while the proposal was in flight; it may still commit"));
        }
    }

    private RaftException refusalReason(String refuser, String leaderHint) {
        if (!leaderHint.isEmpty() && !leaderHint.equals(selfId)) {
            Optional<ClusterConfig.Member> leader = configs.latest().member(leaderHint);
            if (leader.isPresent()) {
                return new NotLeaderException(leaderHint, leader.get().address());
            }
        }
        return new LeaderUnavailableException(refuser + " is not the leader and knows of none (election in progress)");
    }

    /**
     * The leader reported entry {@code (index, term)} committed. If this log holds the same entry, it holds the
     * leader's whole log up to it (Log Matching), so this node may commit and apply up to it at once instead of
     * waiting for the next append to carry the commit index.
     */
    private void learnCommitted(long index, long term) {
        if (role != Role.FOLLOWER || index <= commitIndex || index <= raftLog.snapshotIndex()
                || index > raftLog.lastIndex() || raftLog.term(index) != term) {
            return;
        }
        commitIndex = index;
        applyCommitted();
    }

    private void answerAppliedProposals() {
        while (!appliedProposals.isEmpty() && appliedProposals.peek().result().index() <= lastApplied) {
            AppliedProposal applied = appliedProposals.poll();
            applied.future().complete(applied.result());
        }
    }

    /** The proposals' leader is gone: whether each was appended is unknown (it may still commit). */
    private void failUnansweredProposals(String why) {
        if (proposals.isEmpty()) {
            return;
        }
        List<Proposal> failed = List.copyOf(proposals.values());
        proposals.clear();
        RaftException unknown = new LeaderUnavailableException(why + " before answering a proposal; it may "
                + "still commit");
        failed.forEach(proposal -> proposal.future().completeExceptionally(unknown));
    }

    /** Proposals unanswered for several election time-outs (the proposal or its answer was lost) end as unknown. */
    private void expireProposals(long now) {
        List<Proposal> expired = new ArrayList<>();
        Iterator<Proposal> oldestFirst = proposals.values().iterator();
        while (oldestFirst.hasNext()) {
            Proposal proposal = oldestFirst.next();
            if (now - proposal.sentAtMillis() < 4 * electionTimeoutMax) {
                break;
            }
            oldestFirst.remove();
            expired.add(proposal);
        }
        RaftException unknown = new LeaderUnavailableException("leader did not answer a proposal within "
                + 4 * electionTimeoutMax + "ms; it may still commit");
        expired.forEach(proposal -> proposal.future().completeExceptionally(unknown));
    }

    // ---------------------------------------------------------------- reads

    private void registerForRound(PendingRead read) {
        PendingRead withIndex = new PendingRead(readRound + 1, commitIndex, read.query(), read.minIndex(),
                read.future());
        readsAwaitingRound.addLast(withIndex);
        if (!readRoundScheduled) {
            readRoundScheduled = true;
            loop.execute(guarded(this::startReadRound));
        }
    }

    /** One heartbeat round confirms leadership for every read registered since the last round. */
    private void startReadRound() {
        readRoundScheduled = false;
        if (closed || role != Role.LEADER) {
            return;
        }
        readRound++;
        for (Progress follower : progress.values()) {
            if (follower.state != Progress.State.SNAPSHOT && follower.matchIndex >= raftLog.snapshotIndex()) {
                sendAppend(follower, follower.matchIndex, List.of());
            }
        }
        confirmReads();
    }

    /**
     * The largest value that a quorum of the latest configuration has reached, counting {@code ownValue} for
     * this node and {@code followerValue} for each follower (0 for one not tracked yet).
     */
    private long reachedByQuorum(long ownValue, ToLongFunction<Progress> followerValue) {
        ClusterConfig config = configs.latest();
        long[] values = new long[config.members().size()];
        int i = 0;
        for (ClusterConfig.Member member : config.members()) {
            if (member.id().equals(selfId)) {
                values[i++] = ownValue;
            } else {
                Progress follower = progress.get(member.id());
                values[i++] = follower == null ? 0 : followerValue.applyAsLong(follower);
            }
        }
        Arrays.sort(values);
        return values[values.length - config.quorum()];
    }

    private void confirmReads() {
        if (readsAwaitingRound.isEmpty()) {
            return;
        }
        long confirmed = reachedByQuorum(readRound, follower -> follower.ackedReadRound);
        while (!readsAwaitingRound.isEmpty() && readsAwaitingRound.peekFirst().round() <= confirmed) {
            readsAwaitingApply.add(readsAwaitingRound.pollFirst());
        }
        serveReads();
    }

    private void serveReads() {
        Iterator<PendingRead> reads = readsAwaitingApply.iterator();
        while (reads.hasNext()) {
            PendingRead read = reads.next();
            if (lastApplied >= Math.max(read.readIndex(), read.minIndex())) {
                reads.remove();
                read.future().complete(new ReadResult(stateMachine.query(read.query()), lastApplied));
            }
        }
    }

    // ---------------------------------------------------------------- snapshots

    private void maybeSnapshot() {
        if (lastApplied - raftLog.snapshotIndex() < options.snapshotThreshold()
                || appliedBytesSinceSnapshot < options.snapshotGrowthFactor() * snapshotBytes) {
            return;
        }
        long index = lastApplied;
        long term = raftLog.term(index);
        byte[] data = SnapshotCodec.encode(sessions.encode(), stateMachine.snapshot());
        snapshotBytes = data.length;
        appliedBytesSinceSnapshot = 0;
        snapshotStore.save(new Snapshot(new SnapshotMeta(index, term, configs.at(index)), data));
        raftLog.compactPrefix(index, term);
        configs.compactedTo(index);
    }

    private void startSnapshot(Progress follower) {
        Optional<Snapshot> latest = snapshotStore.latest();
        if (latest.isEmpty()) {
            throw new IllegalStateException(selfId + ": log compacted to " + raftLog.snapshotIndex()
                    + " but no snapshot is stored");
        }
        follower.becomeSnapshot(latest.get());
        sendSnapshotChunk(follower);
    }

    private void sendSnapshotChunk(Progress follower) {
        Snapshot snapshot = follower.snapshot;
        byte[] data = snapshot.data();
        int from = (int) follower.snapshotOffset;
        int to = Math.min(data.length, from + options.snapshotChunkBytes());
        SnapshotMeta meta = snapshot.meta();
        transport.send(new InstallSnapshotRequest(selfId, follower.id, currentTerm, meta.lastIncludedIndex(),
                meta.lastIncludedTerm(), meta.config().encode(), from, Arrays.copyOfRange(data, from, to),
                to == data.length));
        follower.snapshotSentMillis = loop.nowMillis();
    }

    private void onInstallSnapshotResponse(InstallSnapshotResponse response) {
        if (response.term() > currentTerm) {
            becomeFollower(response.term(), null);
            return;
        }
        if (role != Role.LEADER || response.term() < currentTerm) {
            return;
        }
        Progress follower = progress.get(response.from());
        if (follower == null || follower.state != Progress.State.SNAPSHOT
                || follower.snapshot.meta().lastIncludedIndex() != response.lastIncludedIndex()) {
            return;
        }
        follower.lastContactMillis = loop.nowMillis();
        if (!response.success()) {
            follower.snapshotOffset = 0;
            sendSnapshotChunk(follower);
        } else if (response.nextOffset() >= follower.snapshot.data().length) {
            follower.matchIndex = Math.max(follower.matchIndex, response.lastIncludedIndex());
            follower.becomeProbe();
            advanceCommitIndex();
            if (role == Role.LEADER) {
                replicate(follower);
            }
        } else if (response.nextOffset() > follower.snapshotOffset) {
            follower.snapshotOffset = response.nextOffset();
            sendSnapshotChunk(follower);
        }
    }

    private void onInstallSnapshot(InstallSnapshotRequest request) {
        if (request.term() < currentTerm) {
            reply(new InstallSnapshotResponse(selfId, request.from(), currentTerm, request.lastIncludedIndex(),
                    0, false));
            return;
        }
        acceptLeader(request.term(), request.from());
        if (request.lastIncludedIndex() <= lastApplied) {
            // Already have this state; the committed prefix matches the leader's.
            reply(new InstallSnapshotResponse(selfId, request.from(), currentTerm, request.lastIncludedIndex(),
                    Long.MAX_VALUE, true));
            return;
        }
        if (request.offset() == 0) {
            incomingSnapshot = new SnapshotAssembler(request.lastIncludedIndex(), request.lastIncludedTerm());
        }
        SnapshotAssembler assembler = incomingSnapshot;
        if (assembler == null || !assembler.isFor(request.lastIncludedIndex(), request.lastIncludedTerm())
                || request.offset() > assembler.size()) {
            reply(new InstallSnapshotResponse(selfId, request.from(), currentTerm, request.lastIncludedIndex(),
                    0, false));
            return;
        }
        if (request.offset() == assembler.size()) {
            assembler.append(request.chunk());
            if (request.done()) {
                incomingSnapshot = null;
                installSnapshot(new Snapshot(new SnapshotMeta(request.lastIncludedIndex(),
                        request.lastIncludedTerm(), ClusterConfig.decode(request.config())), assembler.data()));
            }
        }
        reply(new InstallSnapshotResponse(selfId, request.from(), currentTerm, request.lastIncludedIndex(),
                assembler.size(), true));
    }

    private void installSnapshot(Snapshot snapshot) {
        SnapshotMeta meta = snapshot.meta();
        snapshotStore.save(snapshot);
        alignLogWithSnapshot(meta.lastIncludedIndex(), meta.lastIncludedTerm());
        restoreState(snapshot);
        updatePeers();
        log.info("{} installed snapshot at index {} term {}", selfId, meta.lastIncludedIndex(),
                meta.lastIncludedTerm());
    }

    /** Keeps log entries after the snapshot if they continue it; otherwise the log starts after it. */
    private void alignLogWithSnapshot(long index, long term) {
        if (raftLog.snapshotIndex() >= index) {
            return;
        }
        if (index <= raftLog.lastIndex() && raftLog.term(index) == term) {
            raftLog.compactPrefix(index, term);
        } else {
            raftLog.reset(index, term);
            configs.truncatedFrom(index + 1);
        }
        raftLog.sync();
        unsyncedAppends = false;
    }

    private void restoreState(Snapshot snapshot) {
        SnapshotCodec.Parts parts = SnapshotCodec.decode(snapshot.data());
        snapshotBytes = snapshot.data().length;
        appliedBytesSinceSnapshot = 0;
        sessions.restore(parts.sessions());
        stateMachine.restore(parts.stateMachine());
        long index = snapshot.meta().lastIncludedIndex();
        configs.snapshotInstalled(index, snapshot.meta().config());
        lastApplied = Math.max(lastApplied, index);
        commitIndex = Math.max(commitIndex, index);
        serveReads();
        answerAppliedProposals();
    }

    // ---------------------------------------------------------------- plumbing

    private void saveHardState() {
        hardStateStore.save(new HardState(currentTerm, votedFor));
    }

    private void reply(RaftMessage message) {
        transport.send(message);
    }

    private void cancelTimers() {
        if (electionTimer != null) {
            electionTimer.cancel();
            electionTimer = null;
        }
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
            heartbeatTimer = null;
        }
    }

    /** Refreshes the snapshot {@link #status()} returns to other threads. */
    public void publishStatus() {
        Map<String, Long> matchIndex = new LinkedHashMap<>();
        for (Progress follower : progress.values()) {
            matchIndex.put(follower.id, follower.matchIndex);
        }
        status = new RaftStatus(selfId, role, currentTerm, leaderId, commitIndex, lastApplied,
                started ? raftLog.lastIndex() : 0, started ? raftLog.snapshotIndex() : 0, matchIndex,
                electionCount, configs.latest(), catchUpIndex, started && !closed, failure);
    }
}

package io.flotilla.raft;

import java.util.concurrent.CompletableFuture;

/**
 * One member of a Raft group. Every method may be called from any thread: the work is handed to the
 * node's event loop and the returned future completes there (chain with {@code *Async} to leave it).
 * Futures fail with {@link NotLeaderException} (retry at the hinted leader), {@link
 * LeaderUnavailableException} (retry later) or another {@link RaftException}.
 *
 * <p>Build one with {@link #builder()}.
 */
public interface RaftNode extends AutoCloseable {

    static RaftNodeBuilder builder() {
        return new RaftNodeBuilder();
    }

    String id();

    /** Recovers from storage and starts taking part in elections. */
    void start();

    /** Stops the node and closes its transport and storage. */
    @Override
    void close();

    /**
     * Replicates a command with no session: a retry may apply it twice. At a follower that knows its leader, the
     * command is proposed to that leader over the transport; the future completes once the leader reports it
     * applied and this node has applied it too. A {@link ProposalRefusedException} says it was not applied.
     */
    CompletableFuture<CommandResult> submit(byte[] command);

    /**
     * Like {@link #submit(byte[])}, but only at the leader: a follower refuses with {@link NotLeaderException} or
     * {@link LeaderUnavailableException} instead of proposing. For decisions only the leader may take (expiring
     * leases whose deadlines live in its memory): a node that has just lost leadership must not push them through
     * its successor.
     */
    CompletableFuture<CommandResult> submitAtLeader(byte[] command);

    /** Replicates a command applied at most once per {@code (clientId, sequence)}. */
    CompletableFuture<CommandResult> submit(ClientRequest request);

    /**
     * Answers {@code query} from the state machine once it has applied at least {@code minIndex} (0 for no
     * bound) and, for {@link ReadConsistency#LINEARIZABLE}, everything committed before the call.
     */
    CompletableFuture<ReadResult> read(byte[] query, ReadConsistency consistency, long minIndex);

    /** Adds one voting member through the log; completes when the new configuration commits. */
    CompletableFuture<Void> addMember(ClusterConfig.Member member);

    /** Removes one voting member through the log; completes when the new configuration commits. */
    CompletableFuture<Void> removeMember(String memberId);

    /**
     * Hands leadership to {@code targetId}: the leader stops taking writes, catches the target up and tells
     * it to start an election at once. Completes when this node has stepped down for it.
     */
    CompletableFuture<Void> transferLeadership(String targetId);

    void addLeadershipListener(LeadershipListener listener);

    RaftStatus status();
}

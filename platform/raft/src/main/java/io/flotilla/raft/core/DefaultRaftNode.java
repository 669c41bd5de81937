package io.flotilla.raft.core;

import io.flotilla.raft.ClientRequest;
import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.CommandResult;
import io.flotilla.raft.LeadershipListener;
import io.flotilla.raft.RaftException;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.raft.ReadResult;
import io.flotilla.raft.runtime.EventLoop;
import io.flotilla.raft.storage.RaftStorage;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The thread-safe face of a {@link RaftCore}: every call is handed to the node's event loop. */
public final class DefaultRaftNode implements RaftNode {

    private final String id;
    private final RaftCore core;
    private final EventLoop loop;
    private final RaftStorage storage;

    public DefaultRaftNode(String id, RaftCore core, EventLoop loop, RaftStorage storage) {
        this.id = id;
        this.core = core;
        this.loop = loop;
        this.storage = storage;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start() {
        onLoop(core::start);
    }

    @Override
    public void close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        onLoop(() -> {
            core.close();
            storage.close();
            closed.complete(null);
        });
        if (!loop.inLoop()) {
            closed.orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public CompletableFuture<CommandResult> submit(byte[] command) {
        Objects.requireNonNull(command, "command");
        CompletableFuture<CommandResult> future = new CompletableFuture<>();
        onLoop(() -> core.submit(null, command, future), future);
        return future;
    }

    @Override
    public CompletableFuture<CommandResult> submitAtLeader(byte[] command) {
        Objects.requireNonNull(command, "command");
        CompletableFuture<CommandResult> future = new CompletableFuture<>();
        onLoop(() -> core.submitAtLeader(command, future), future);
        return future;
    }

    @Override
    public CompletableFuture<CommandResult> submit(ClientRequest request) {
        Objects.requireNonNull(request, "request");
        CompletableFuture<CommandResult> future = new CompletableFuture<>();
        onLoop(() -> core.submit(request, request.command(), future), future);
        return future;
    }

    @Override
    public CompletableFuture<ReadResult> read(byte[] query, ReadConsistency consistency, long minIndex) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(consistency, "consistency");
        CompletableFuture<ReadResult> future = new CompletableFuture<>();
        onLoop(() -> core.read(query, consistency, minIndex, future), future);
        return future;
    }

    @Override
    public CompletableFuture<Void> addMember(ClusterConfig.Member member) {
        Objects.requireNonNull(member, "member");
        CompletableFuture<Void> future = new CompletableFuture<>();
        onLoop(() -> core.changeMembership(member, null, future), future);
        return future;
    }

    @Override
    public CompletableFuture<Void> removeMember(String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        CompletableFuture<Void> future = new CompletableFuture<>();
        onLoop(() -> core.changeMembership(null, memberId, future), future);
        return future;
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String targetId) {
        Objects.requireNonNull(targetId, "targetId");
        CompletableFuture<Void> future = new CompletableFuture<>();
        onLoop(() -> core.transferLeadership(targetId, future), future);
        return future;
    }

    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        Objects.requireNonNull(listener, "listener");
        onLoop(() -> core.addLeadershipListener(listener));
    }

    @Override
    public RaftStatus status() {
        return core.status();
    }

    private void onLoop(Runnable task) {
        loop.execute(() -> {
            try {
                core.guarded(task).run();
            } finally {
                core.publishStatus();
            }
        });
    }

    /** Like {@link #onLoop(Runnable)}, and fails {@code future} if the node stops before answering it. */
    private void onLoop(Runnable task, CompletableFuture<?> future) {
        loop.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(new RaftException("node " + id + " stopped: " + e.getMessage(), e));
                core.halt(e);
                throw e;
            } finally {
                core.publishStatus();
            }
        });
    }
}

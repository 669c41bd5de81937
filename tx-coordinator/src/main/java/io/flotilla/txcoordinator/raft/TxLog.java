package io.flotilla.txcoordinator.raft;

import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.txcoordinator.state.command.TxCodec;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The transaction log as the rest of the coordinator sees it: typed commands and queries over a
 * {@link RaftNode}. Futures fail as the node's do ({@code NotLeaderException}, {@code LeaderUnavailableException}).
 * They complete on the Raft event loop, so callers continue with {@code *Async} before doing anything slow.
 */
public final class TxLog {

    private final RaftNode node;

    public TxLog(RaftNode node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    public CompletableFuture<TxResult> submit(TxCommand command) {
        return node.submit(TxCodec.encode(command)).thenApply(result -> TxCodec.decodeResult(result.result()));
    }

    public CompletableFuture<TxQuery.Answer> read(TxQuery query, ReadConsistency consistency) {
        return node.read(TxCodec.encode(query), consistency, 0)
                .thenApply(result -> TxCodec.decodeAnswer(result.result()));
    }

    public RaftStatus status() {
        return node.status();
    }

    public String nodeId() {
        return node.id();
    }
}

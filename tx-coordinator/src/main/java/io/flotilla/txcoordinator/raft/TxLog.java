package io.flotilla.txcoordinator.raft;

import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.txcoordinator.state.command.TxCodec;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The transaction log as the rest of the coordinator sees it: typed commands and queries over this node's
 * {@link RaftServer}. Futures fail as the node's do ({@code NotLeaderException}, {@code LeaderUnavailableException},
 * a read timeout) and complete on the Raft event loop, so callers continue with {@code *Async} before doing
 * anything slow.
 */
public final class TxLog {

    private final RaftServer server;

    public TxLog(RaftServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    public CompletableFuture<TxResult> submit(TxCommand command) {
        return server.submit(TxCodec.encode(command)).thenApply(result -> TxCodec.decodeResult(result.result()));
    }

    public CompletableFuture<TxQuery.Answer> read(TxQuery query, ReadMode mode) {
        return server.read(TxCodec.encode(query), mode).thenApply(result -> TxCodec.decodeAnswer(result.result()));
    }
}

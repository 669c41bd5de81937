package io.flotilla.raft.server;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A service's replicated state as the rest of the service sees it: typed commands and queries over its
 * {@link RaftServer}, with the kit's submit and read time-outs. Futures fail with {@link RaftUnavailableException}
 * (which {@link RaftProblems} maps to a 503 carrying the write's outcome) and complete on the Raft event loop, so
 * callers continue with {@code *Async} before doing anything slow. Each service extends it once
 * ({@code RegistryStore}, {@code TxLog}).
 */
public class RaftLog<C, R, Q, A> {

    private final RaftServer server;
    private final RaftCodec<C, R, Q, A> codec;

    protected RaftLog(RaftServer server, RaftCodec<C, R, Q, A> codec) {
        this.server = Objects.requireNonNull(server, "server");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    public RaftServer server() {
        return server;
    }

    /** Replicates {@code command} and answers with the state machine's result. */
    public CompletableFuture<R> submit(C command) {
        return server.submit(codec.encodeCommand(command)).thenApply(result -> codec.decodeResult(result.result()));
    }

    /** Like {@link #submit}, only at the leader: for decisions only the leader may take ({@link RaftServer#submitAtLeader}). */
    public CompletableFuture<R> submitAtLeader(C command) {
        return server.submitAtLeader(codec.encodeCommand(command))
                .thenApply(result -> codec.decodeResult(result.result()));
    }

    /** Answers {@code query} at the consistency {@code mode} asks for. */
    public CompletableFuture<A> read(Q query, ReadMode mode) {
        return server.read(codec.encodeQuery(query), mode).thenApply(result -> codec.decodeAnswer(result.result()));
    }
}

package io.flotilla.txcoordinator.raft;

import io.flotilla.raft.server.RaftCodec;
import io.flotilla.raft.server.RaftLog;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.txcoordinator.state.command.TxCodec;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;

/**
 * The transaction log as the rest of the coordinator sees it: typed commands and queries over this node's
 * {@link RaftServer}, with the kit's time-outs. Futures fail as the kit's do ({@code RaftUnavailableException}) and
 * complete on the Raft event loop, so callers continue with {@code *Async} before doing anything slow.
 */
public final class TxLog extends RaftLog<TxCommand, TxResult, TxQuery, TxQuery.Answer> {

    public TxLog(RaftServer server) {
        super(server, RaftCodec.of(TxCodec::encode, TxCodec::decodeResult, TxCodec::encode, TxCodec::decodeAnswer));
    }
}

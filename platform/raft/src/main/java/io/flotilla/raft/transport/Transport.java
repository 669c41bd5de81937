package io.flotilla.raft.transport;

import io.flotilla.raft.rpc.RaftMessage;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries messages between nodes. Delivery is best effort: a message may be dropped, delayed,
 * duplicated or reordered, and Raft is correct under all of that. Implementations never block the
 * caller on the network.
 */
public interface Transport extends AutoCloseable {

    /** Starts accepting messages; {@code inbound} may be called from any thread. */
    void start(Consumer<RaftMessage> inbound);

    /** Sends to {@code message.to()}; silently dropped when that peer is unknown or unreachable. */
    void send(RaftMessage message);

    /** Replaces the peer address book ({@code nodeId -> host:port}) after a membership change. */
    void updatePeers(Map<String, String> addresses);

    @Override
    void close();
}

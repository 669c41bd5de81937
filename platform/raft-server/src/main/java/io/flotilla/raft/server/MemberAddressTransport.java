package io.flotilla.raft.server;

import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.transport.Transport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hands the Raft transport only the {@code host:raftPort} part of each member address: the configuration in
 * the log holds {@link MemberAddress} strings (with the HTTP port), the wire needs just where to connect.
 */
final class MemberAddressTransport implements Transport {

    private final Transport delegate;

    MemberAddressTransport(Transport delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start(Consumer<RaftMessage> inbound) {
        delegate.start(inbound);
    }

    @Override
    public void send(RaftMessage message) {
        delegate.send(message);
    }

    @Override
    public void updatePeers(Map<String, String> addresses) {
        delegate.updatePeers(raftAddresses(addresses));
    }

    @Override
    public void close() {
        delegate.close();
    }

    static Map<String, String> raftAddresses(Map<String, String> memberAddresses) {
        Map<String, String> raft = new LinkedHashMap<>();
        memberAddresses.forEach((id, address) -> raft.put(id, MemberAddress.parse(address).raftAddress()));
        return raft;
    }
}

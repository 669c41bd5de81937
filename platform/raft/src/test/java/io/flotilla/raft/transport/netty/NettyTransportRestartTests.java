package io.flotilla.raft.transport.netty;

import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.rpc.TimeoutNowRequest;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

class NettyTransportRestartTests {

    @Test
    void peerRestartedOnTheSameAddressReceivesAgain() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        int senderPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            senderPort = socket.getLocalPort();
        }
        NettyTransport sender = new NettyTransport("b", "127.0.0.1:" + senderPort, Map.of("a", address));
        sender.start(message -> { });
        try {
            for (int round = 1; round <= 20; round++) {
                ConcurrentLinkedQueue<RaftMessage> received = new ConcurrentLinkedQueue<>();
                NettyTransport receiver = new NettyTransport("a", address, Map.of("b", "127.0.0.1:" + senderPort));
                receiver.start(message -> {
                    received.add(message);
                });
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    sender.send(new TimeoutNowRequest("b", "a", round));
                    Thread.sleep(10);
                }
                // Traffic both ways at the moment of the close, as between busy Raft nodes.
                for (int i = 0; i < 2000; i++) {
                    sender.send(new TimeoutNowRequest("b", "a", round));
                    receiver.send(new TimeoutNowRequest("a", "b", round));
                }
                receiver.close();
                assertThat(received).as("round %d: the restarted receiver got a message within 10 s", round)
                        .isNotEmpty();
            }
        } finally {
            sender.close();
        }
    }
}

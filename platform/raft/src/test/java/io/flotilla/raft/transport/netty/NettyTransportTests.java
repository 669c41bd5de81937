package io.flotilla.raft.transport.netty;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flotilla.raft.log.EntryType;
import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.rpc.AppendEntriesRequest;
import io.flotilla.raft.rpc.AppendEntriesResponse;
import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.rpc.TimeoutNowRequest;
import io.flotilla.raft.rpc.VoteRequest;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Real transports on loopback ports. Sends are retried until delivered, as Raft's own timers would. */
class NettyTransportTests {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, BlockingQueue<RaftMessage>> inboxes = new HashMap<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void threeNodesExchangeMessages() throws InterruptedException {
        List<String> ids = List.of("n1", "n2", "n3");
        Map<String, NettyTransport> transports = new HashMap<>();
        Map<String, String> addresses = new HashMap<>();
        for (String id : ids) {
            NettyTransport transport = startTransport(id, "127.0.0.1:0", Map.of());
            transports.put(id, transport);
            addresses.put(id, "127.0.0.1:" + transport.localAddress().getPort());
        }
        transports.values().forEach(transport -> transport.updatePeers(addresses));
        for (String from : ids) {
            for (String to : ids) {
                if (!from.equals(to)) {
                    RaftMessage message = new VoteRequest(from, to, 3, 10, 2, true, false);
                    assertThat(sendUntilReceived(transports.get(from), message)).isEqualTo(message);
                }
            }
        }
    }

    @Test
    void messagesOnAnEstablishedConnectionArriveInOrderAndComplete() throws InterruptedException {
        NettyTransport receiver = startTransport("b", "127.0.0.1:0", Map.of());
        NettyTransport sender = startTransport("a", "127.0.0.1:0",
                Map.of("b", "127.0.0.1:" + receiver.localAddress().getPort()));
        sendUntilReceived(sender, new TimeoutNowRequest("a", "b", 1));
        long droppedBefore = sender.droppedMessages();
        for (int i = 1; i <= 5000; i++) {
            sender.send(new AppendEntriesResponse("a", "b", 1, true, i, 0, 0, i));
        }
        List<Long> matchIndexes = new ArrayList<>();
        while (matchIndexes.size() < 5000) {
            RaftMessage message = inbox("b").poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("message %d of 5000", matchIndexes.size() + 1).isNotNull();
            // Late copies of the probe sent by sendUntilReceived may still trickle in.
            if (message instanceof AppendEntriesResponse response) {
                matchIndexes.add(response.matchIndex());
            }
        }
        assertThat(matchIndexes).isEqualTo(LongStream.rangeClosed(1, 5000).boxed().toList());
        assertThat(sender.droppedMessages()).isEqualTo(droppedBefore);
    }

    @Test
    void peerThatComesUpLaterReceivesLaterMessages() throws InterruptedException {
        int port = PortProbe.freePort();
        NettyTransport sender = startTransport("a", "127.0.0.1:0", Map.of("b", "127.0.0.1:" + port));
        for (int i = 0; i < 5; i++) {
            sender.send(new TimeoutNowRequest("a", "b", 1));
            Thread.sleep(20);
        }
        assertThat(sender.droppedMessages()).isEqualTo(5);

        NettyTransport receiver = startTransport("b", "127.0.0.1:" + port, Map.of());
        assertThat(sendUntilReceived(sender, new TimeoutNowRequest("a", "b", 2))).isNotNull();

        receiver.close();
        inbox("b").clear();
        startTransport("b", "127.0.0.1:" + port, Map.of());
        assertThat(sendUntilReceived(sender, new TimeoutNowRequest("a", "b", 3)))
                .isEqualTo(new TimeoutNowRequest("a", "b", 3));
    }

    @Test
    void oversizedFrameClosesThatConnectionButNotTheServer() throws Exception {
        NettyTransport receiver = startTransport("b", "127.0.0.1:0", Map.of(),
                NettyTransportOptions.defaults().withMaxFrameBytes(1024));
        int port = receiver.localAddress().getPort();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(1_000_000);
            out.write(new byte[2048]);
            out.flush();
            assertClosedByPeer(socket);
        }
        NettyTransport sender = startTransport("a", "127.0.0.1:0", Map.of("b", "127.0.0.1:" + port));
        assertThat(sendUntilReceived(sender, new TimeoutNowRequest("a", "b", 1))).isNotNull();
    }

    @Test
    void garbageFrameClosesThatConnectionButNotTheServer() throws Exception {
        NettyTransport receiver = startTransport("b", "127.0.0.1:0", Map.of());
        int port = receiver.localAddress().getPort();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(6);
            out.write(new byte[] {MessageCodec.VERSION, 42, 1, 2, 3, 4});
            out.flush();
            assertClosedByPeer(socket);
        }
        NettyTransport sender = startTransport("a", "127.0.0.1:0", Map.of("b", "127.0.0.1:" + port));
        assertThat(sendUntilReceived(sender, new TimeoutNowRequest("a", "b", 1))).isNotNull();
    }

    @Test
    void unknownProtocolVersionClosesTheConnectionWithAClearLogLine() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(NettyTransport.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            NettyTransport receiver = startTransport("b", "127.0.0.1:0", Map.of());
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), receiver.localAddress().getPort())) {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(2);
                out.write(new byte[] {7, 1});
                out.flush();
                assertClosedByPeer(socket);
            }
            // A copy taken under the appender's monitor, which logback appends under (AppenderBase.doAppend):
            // other Netty threads may still be logging while it is read.
            List<ILoggingEvent> logged;
            synchronized (appender) {
                logged = List.copyOf(appender.list);
            }
            assertThat(logged).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).contains("unsupported protocol version 7"));
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void slowPeerCannotMakeTheSenderBufferWithoutBound() throws Exception {
        try (ServerSocket neverReads = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NettyTransport sender = startTransport("a", "127.0.0.1:0",
                    Map.of("b", "127.0.0.1:" + neverReads.getLocalPort()),
                    NettyTransportOptions.defaults().withWriteBuffer(64 * 1024, 256 * 1024));
            try (Socket accepted = acceptWhileSending(neverReads, sender)) {
                byte[] chunk = new byte[256 * 1024];
                long start = System.nanoTime();
                for (int i = 0; i < 400; i++) {
                    sender.send(new AppendEntriesRequest("a", "b", 1, i, 1,
                            List.of(new LogEntry(i + 1, 1, EntryType.COMMAND, chunk)), 0, 0));
                }
                // 100 MiB offered to a peer that reads nothing: most of it must be refused, not queued.
                assertThat(sender.droppedMessages()).isGreaterThan(300);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PATIENCE);
                assertThat(accepted.isConnected()).isTrue();
            }
        }
    }

    @Test
    void connectionsToPeersLeaveFromTheNodesOwnHost() throws Exception {
        InetAddress ownHost = loopbackAlias("127.0.0.11");
        InetAddress peerHost = loopbackAlias("127.0.0.12");
        try (ServerSocket peer = new ServerSocket(0, 1, peerHost)) {
            NettyTransport sender = startTransport("a", "127.0.0.11:0",
                    Map.of("b", "127.0.0.12:" + peer.getLocalPort()));
            try (Socket accepted = acceptWhileSending(peer, sender)) {
                // Left to the kernel, the source would be 127.0.0.1: a firewall rule for 127.0.0.11 would miss it.
                assertThat(accepted.getInetAddress()).isEqualTo(ownHost);
                assertThat(accepted.getPort()).isNotEqualTo(sender.localAddress().getPort());
            }
        }
    }

    @Test
    void nodesOnTheirOwnHostsExchangeMessagesBothWays() throws InterruptedException {
        loopbackAlias("127.0.0.11");
        loopbackAlias("127.0.0.12");
        NettyTransport first = startTransport("a", "127.0.0.11:0", Map.of());
        NettyTransport second = startTransport("b", "127.0.0.12:0",
                Map.of("a", "127.0.0.11:" + first.localAddress().getPort()));
        first.updatePeers(Map.of("b", "127.0.0.12:" + second.localAddress().getPort()));
        assertThat(sendUntilReceived(first, new TimeoutNowRequest("a", "b", 1))).isNotNull();
        assertThat(sendUntilReceived(second, new TimeoutNowRequest("b", "a", 1))).isNotNull();
    }

    @Test
    void messageToAnUnknownPeerIsDropped() {
        NettyTransport transport = startTransport("a", "127.0.0.1:0", Map.of());
        transport.send(new TimeoutNowRequest("a", "nobody", 1));
        assertThat(transport.droppedMessages()).isEqualTo(1);
    }

    @Test
    void messageAddressedToAnotherNodeIsNotDelivered() throws InterruptedException {
        NettyTransport receiver = startTransport("b", "127.0.0.1:0", Map.of());
        String address = "127.0.0.1:" + receiver.localAddress().getPort();
        // "c" is an old name for the node now called "b" at that address.
        NettyTransport sender = startTransport("a", "127.0.0.1:0", Map.of("b", address, "c", address));
        sendUntilReceived(sender, new TimeoutNowRequest("a", "b", 1));
        for (int i = 0; i < 20; i++) {
            sender.send(new TimeoutNowRequest("a", "c", 2));
            Thread.sleep(10);
        }
        sendUntilReceived(sender, new TimeoutNowRequest("a", "b", 3));
        assertThat(inbox("b")).noneMatch(message -> message.to().equals("c"));
        assertThat(receiver.droppedMessages()).isPositive();
    }

    @Test
    void closeStopsEveryThreadItStarted() throws InterruptedException {
        NettyTransport receiver = startTransport("closing-b", "127.0.0.1:0", Map.of());
        NettyTransport sender = startTransport("closing-a", "127.0.0.1:0",
                Map.of("closing-b", "127.0.0.1:" + receiver.localAddress().getPort()));
        sendUntilReceived(sender, new TimeoutNowRequest("closing-a", "closing-b", 1));
        assertThat(threadsNamed("flotilla-raft-netty-closing-")).isNotEmpty();
        sender.close();
        receiver.close();
        assertThat(threadsNamed("flotilla-raft-netty-closing-")).isEmpty();
        sender.send(new TimeoutNowRequest("closing-a", "closing-b", 2));
        sender.close();
    }

    private NettyTransport startTransport(String id, String bind, Map<String, String> peers) {
        return startTransport(id, bind, peers, NettyTransportOptions.defaults()
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
    }

    private NettyTransport startTransport(String id, String bind, Map<String, String> peers,
                                          NettyTransportOptions options) {
        NettyTransport transport = new NettyTransport(id, bind, peers, options);
        resources.add(transport);
        transport.start(inbox(id)::add);
        return transport;
    }

    private BlockingQueue<RaftMessage> inbox(String id) {
        return inboxes.computeIfAbsent(id, ignored -> new LinkedBlockingQueue<>());
    }

    /** Sends every 20 ms until the addressee's inbox holds the message; returns what arrived. */
    private RaftMessage sendUntilReceived(NettyTransport sender, RaftMessage message) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            sender.send(message);
            RaftMessage received = inbox(message.to()).poll(20, TimeUnit.MILLISECONDS);
            while (received != null) {
                if (received.equals(message)) {
                    return received;
                }
                received = inbox(message.to()).poll();
            }
        }
        throw new AssertionError(message + " was not delivered within " + PATIENCE);
    }

    private static Socket acceptWhileSending(ServerSocket server, NettyTransport sender) throws IOException {
        server.setSoTimeout(20);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            sender.send(new TimeoutNowRequest("a", "b", 0));
            try {
                Socket socket = server.accept();
                // Give the sender's connect callback a moment to install the channel.
                long installed = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                long before = sender.droppedMessages();
                while (System.nanoTime() < installed) {
                    sender.send(new TimeoutNowRequest("a", "b", 0));
                    if (sender.droppedMessages() == before) {
                        return socket;
                    }
                    before = sender.droppedMessages();
                    Thread.onSpinWait();
                }
                return socket;
            } catch (java.net.SocketTimeoutException e) {
                // not connected yet
            }
        }
        throw new AssertionError("sender never connected");
    }

    /** A 127.x address other than 127.0.0.1; Linux answers on all of 127.0.0.0/8, other systems need an alias. */
    private static InetAddress loopbackAlias(String address) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return probe.getInetAddress();
        } catch (IOException e) {
            throw new AssertionError("this test needs " + address + " on the loopback interface (Linux has all of "
                    + "127.0.0.0/8; elsewhere add an alias, e.g. `ifconfig lo0 alias " + address + "`): " + e, e);
        }
    }

    private static void assertClosedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        InputStream in = socket.getInputStream();
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .toList();
    }
}

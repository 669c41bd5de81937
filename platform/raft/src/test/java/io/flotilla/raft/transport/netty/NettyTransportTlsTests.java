package io.flotilla.raft.transport.netty;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flotilla.raft.rpc.RaftMessage;
import io.flotilla.raft.rpc.TimeoutNowRequest;
import io.flotilla.raft.rpc.VoteRequest;
import io.flotilla.testsupport.tls.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real transports on loopback ports over mutual TLS, with certificates from CAs made for this test: members of
 * one CA talk; a node whose certificate another CA signed, or whose certificate does not name the host it is
 * dialled at, is refused at the handshake and none of its messages are delivered.
 */
class NettyTransportTlsTests {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TempDir
    static Path certificates;

    private static TestCertificates cluster;
    private static Path member;
    private static Path stranger;
    private static Path wrongHost;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, BlockingQueue<RaftMessage>> inboxes = new HashMap<>();
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeAll
    static void makeCertificates() {
        cluster = TestCertificates.authority(certificates.resolve("cluster"), "Flotilla Raft Test CA");
        member = cluster.issue("member", "127.0.0.1", "localhost");
        wrongHost = cluster.issue("elsewhere", "10.255.255.1");
        TestCertificates foreign = TestCertificates.authority(certificates.resolve("foreign"), "Some Other CA");
        stranger = foreign.issue("stranger", "127.0.0.1", "localhost");
    }

    @BeforeEach
    void captureWarnings() {
        warnings.start();
        ((Logger) LoggerFactory.getLogger(NettyTransport.class)).addAppender(warnings);
    }

    @AfterEach
    void closeEverything() throws Exception {
        ((Logger) LoggerFactory.getLogger(NettyTransport.class)).detachAppender(warnings);
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void membersOfOneAuthorityExchangeMessagesBothWays() throws InterruptedException {
        NettyTransport a = startTransport("a", tls(cluster, member), Map.of());
        NettyTransport b = startTransport("b", tls(cluster, member), Map.of("a", address(a)));
        a.updatePeers(Map.of("b", address(b)));

        RaftMessage vote = new VoteRequest("a", "b", 3, 10, 2, true, false);
        assertThat(sendUntilReceived(a, vote)).isEqualTo(vote);
        RaftMessage answer = new TimeoutNowRequest("b", "a", 3);
        assertThat(sendUntilReceived(b, answer)).isEqualTo(answer);
    }

    @Test
    void nodeWithCertificateOfAnotherAuthorityIsRefused() throws InterruptedException {
        NettyTransport trusted = startTransport("trusted", tls(cluster, member), Map.of());
        NettyTransport member2 = startTransport("member", tls(cluster, member), Map.of("trusted", address(trusted)));
        // The intruder trusts the cluster's CA (its certificate is no secret) but holds no key that CA signed.
        NettyTransport intruder = startTransport("intruder",
                NettyTransportTls.mutual(TestCertificates.keyManagers(stranger), cluster.trustManagers()),
                Map.of("trusted", address(trusted)));
        trusted.updatePeers(Map.of("intruder", address(intruder)));
        // The listener works: a member gets through.
        sendUntilReceived(member2, new TimeoutNowRequest("member", "trusted", 1));

        // The JDK offers only a certificate of a CA the server asks for, so the intruder presents none.
        sendUntilWarned(intruder, new TimeoutNowRequest("intruder", "trusted", 7),
                "Raft transport of trusted: TLS handshake failed with", "Empty client certificate chain");
        sendUntilWarned(trusted, new TimeoutNowRequest("trusted", "intruder", 7),
                "Raft transport of trusted cannot reach intruder", "certification path");

        assertThat(inbox("trusted")).noneMatch(message -> message.from().equals("intruder"));
        assertThat(inbox("intruder")).isEmpty();
    }

    @Test
    void peerWhoseCertificateDoesNotNameItsHostIsRefused() throws InterruptedException {
        NettyTransport elsewhere = startTransport("elsewhere", tls(cluster, wrongHost), Map.of());
        NettyTransport sender = startTransport("sender", tls(cluster, member), Map.of("elsewhere", address(elsewhere)));

        sendUntilWarned(sender, new TimeoutNowRequest("sender", "elsewhere", 2),
                "Raft transport of sender cannot reach elsewhere", "No subject alternative names matching");

        assertThat(inbox("elsewhere")).isEmpty();
    }

    private static NettyTransportTls tls(TestCertificates authority, Path keyStore) {
        return NettyTransportTls.mutual(TestCertificates.keyManagers(keyStore), authority.trustManagers());
    }

    private NettyTransport startTransport(String id, NettyTransportTls tls, Map<String, String> peers) {
        NettyTransport transport = new NettyTransport(id, "127.0.0.1:0", peers, NettyTransportOptions.defaults()
                .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).withTls(tls));
        resources.add(transport);
        transport.start(inbox(id)::add);
        return transport;
    }

    private static String address(NettyTransport transport) {
        return "127.0.0.1:" + transport.localAddress().getPort();
    }

    private BlockingQueue<RaftMessage> inbox(String id) {
        return inboxes.computeIfAbsent(id, ignored -> new LinkedBlockingQueue<>());
    }

    private boolean warned(String prefix, String reason) {
        // The appender adds to its list under its own monitor (AppenderBase.doAppend is synchronized), not the
        // list's: reading under the list's let a Netty thread's warning land mid-scan.
        synchronized (warnings) {
            return warnings.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .anyMatch(message -> message.startsWith(prefix) && message.contains("TLS handshake failed")
                            && message.contains(reason));
        }
    }

    /** Sends every 20 ms until the addressee's inbox holds the message; returns what arrived. */
    private RaftMessage sendUntilReceived(NettyTransport sender, RaftMessage message) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            sender.send(message);
            RaftMessage received = inbox(message.to()).poll(20, TimeUnit.MILLISECONDS);
            if (received != null && received.equals(message)) {
                return received;
            }
        }
        throw new AssertionError(message + " was not delivered within " + PATIENCE);
    }

    /**
     * Sends every 20 ms, as Raft's timers keep doing to an unreachable peer, until a failed handshake starting with
     * {@code prefix} and naming {@code reason} is logged, then a few more times over several reconnect attempts.
     */
    private void sendUntilWarned(NettyTransport sender, RaftMessage message, String prefix, String reason)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!warned(prefix, reason)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no failed TLS handshake logged as '" + prefix + "' (" + reason
                        + ") within " + PATIENCE);
            }
            sender.send(message);
            Thread.sleep(20);
        }
        for (int i = 0; i < 25; i++) {
            sender.send(message);
            Thread.sleep(20);
        }
    }
}

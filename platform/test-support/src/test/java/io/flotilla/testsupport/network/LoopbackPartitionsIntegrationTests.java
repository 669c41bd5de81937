package io.flotilla.testsupport.network;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real iptables rules among 127.0.0.21-23 (addresses no other test uses). Fails, never skips, without root or
 * iptables.
 */
class LoopbackPartitionsIntegrationTests {

    private static final String A = "127.0.0.21";
    private static final String B = "127.0.0.22";
    private static final String C = "127.0.0.23";
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private static ServerSocket listenerA;
    private static ServerSocket listenerB;
    private static ServerSocket listenerC;

    @BeforeAll
    static void listen() throws IOException {
        listenerA = listener(A);
        listenerB = listener(B);
        listenerC = listener(C);
    }

    @AfterAll
    static void stopListening() throws IOException {
        for (ServerSocket listener : List.of(listenerA, listenerB, listenerC)) {
            listener.close();
        }
    }

    @Test
    void aCutDropsTrafficBothWaysBetweenItsTwoHostsOnlyUntilHealed() throws IOException {
        try (LoopbackPartitions partitions = LoopbackPartitions.open(A, B, C)) {
            assertThat(connects(A, listenerB)).isTrue();

            partitions.cut(A, B);
            assertThat(connects(A, listenerB)).as("A to B while cut").isFalse();
            assertThat(connects(B, listenerA)).as("B to A while cut").isFalse();
            assertThat(connects(A, listenerC)).as("A to C, not cut").isTrue();
            assertThat(connects("127.0.0.1", listenerB)).as("a client on 127.0.0.1 to B").isTrue();

            partitions.heal();
            assertThat(connects(A, listenerB)).as("A to B after the heal").isTrue();
            assertThat(connects(B, listenerA)).as("B to A after the heal").isTrue();
        }
    }

    @Test
    void isolateCutsAHostFromEveryOtherAndCloseRemovesEveryRule() throws IOException {
        String ownTag = LoopbackPartitions.TAG_PREFIX + ProcessHandle.current().pid();
        try (LoopbackPartitions partitions = LoopbackPartitions.open(A, B, C)) {
            partitions.isolate(A);
            assertThat(LoopbackPartitions.taggedRules()).filteredOn(rule -> rule.contains(ownTag)).hasSize(4);
            assertThat(connects(A, listenerC)).isFalse();
            assertThat(connects(C, listenerA)).isFalse();
            assertThat(connects(B, listenerC)).isTrue();
        }
        assertThat(LoopbackPartitions.taggedRules()).noneMatch(rule -> rule.contains(ownTag));
        assertThat(connects(A, listenerC)).isTrue();
    }

    @Test
    void rulesLeftByAJvmThatNoLongerRunsAreRemovedOnOpen() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertThat(finished.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String deadTag = LoopbackPartitions.TAG_PREFIX + finished.pid();
        Process insert = new ProcessBuilder(LoopbackPartitions.IPTABLES, "-w", "20", "-I", "INPUT", "-s", A, "-d", C,
                "-m", "comment", "--comment", deadTag, "-j", "DROP").inheritIO().start();
        assertThat(insert.waitFor()).isZero();
        assertThat(LoopbackPartitions.taggedRules()).anyMatch(rule -> rule.contains(deadTag));

        LoopbackPartitions.open(A, C).close();

        assertThat(LoopbackPartitions.taggedRules()).noneMatch(rule -> rule.contains(deadTag));
        assertThat(connects(A, listenerC)).isTrue();
    }

    @Test
    void onlyLoopbackAddressesCanBePartitioned() {
        assertThatThrownBy(() -> LoopbackPartitions.open(A, "10.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.1");
        assertThatThrownBy(() -> LoopbackPartitions.open(A, "localhost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost");
    }

    /** Whether a TCP connection from {@code sourceHost} to {@code listener} is established within a second. */
    private static boolean connects(String sourceHost, ServerSocket listener) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(sourceHost), 0));
            socket.connect(listener.getLocalSocketAddress(), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (SocketTimeoutException dropped) {
            return false;
        }
    }

    private static ServerSocket listener(String host) throws IOException {
        // Connections are never accepted: the backlog completes the handshake, which is all these tests look at.
        return new ServerSocket(0, 200, InetAddress.getByName(host));
    }
}

package io.flotilla.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Small socket helpers for fixtures and process-level tests. */
public final class PortProbe {

    private PortProbe() {
    }

    /** Whether something accepts TCP connections at {@code host:port} within {@code timeoutMillis}. */
    public static boolean isListening(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free on loopback a moment ago (another process may still take it). */
    public static int freePort() {
        return freePort(java.net.InetAddress.getLoopbackAddress());
    }

    /** A port that was free on {@code host} (such as 127.0.0.11) a moment ago. */
    public static int freePort(String host) {
        try {
            return freePort(java.net.InetAddress.getByName(host));
        } catch (IOException e) {
            throw new IllegalStateException("cannot resolve " + host, e);
        }
    }

    private static int freePort(java.net.InetAddress address) {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on " + address.getHostAddress(), e);
        }
    }
}

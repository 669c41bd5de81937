package io.flotilla.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

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
        return freePort(InetAddress.getLoopbackAddress());
    }

    /** A port that was free on {@code host} (such as 127.0.0.11) a moment ago. */
    public static int freePort(String host) {
        try {
            return freePort(InetAddress.getByName(host));
        } catch (IOException e) {
            throw new IllegalStateException("cannot resolve " + host, e);
        }
    }

    /**
     * A random port below the kernel's ephemeral range, that binds now and was not handed out by this JVM before.
     * Not {@code bind(0)}: that picks from the ephemeral range, where every outgoing connection of every process on
     * the machine also takes its local port, so in the seconds between this probe and the server's own bind a client
     * connection could take the port (seen in CI: "Port … was already in use" for a coordinator node while another
     * module's tests ran beside it). Ports below that range are only ever taken by a bind.
     */
    private static int freePort(InetAddress address) {
        int below = EPHEMERAL_FIRST;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = LOWEST + ThreadLocalRandom.current().nextInt(below - LOWEST);
            if (!HANDED_OUT.add(port) || !reserveAcrossJvms(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, port), 1);
                return port;
            } catch (IOException taken) {
                // bound by someone else: draw again
            }
        }
        throw new IllegalStateException("no free port on " + address.getHostAddress() + " in " + LOWEST + "-" + (below - 1));
    }

    /**
     * Marks {@code port} as handed out for every test JVM on this machine (a file created atomically in a shared
     * directory), so that two modules' tests running side by side never draw the same port: below the ephemeral
     * range only a bind takes a port, and between this probe and the server's own bind (seconds, for a service
     * started as a process) the other JVM's probe found it free too (seen twice in CI with two modules at a time: a
     * coordinator node's HTTP port "already in use"). A mark older than a day is from a JVM long gone and is taken
     * over; the marks go when this JVM exits.
     */
    private static boolean reserveAcrossJvms(int port) {
        Path mark = RESERVATIONS.resolve(Integer.toString(port));
        try {
            Files.createDirectories(RESERVATIONS);
            Files.createFile(mark);
        } catch (FileAlreadyExistsException taken) {
            try {
                if (Files.getLastModifiedTime(mark).toMillis() > System.currentTimeMillis() - 86_400_000L) {
                    return false;
                }
                Files.setLastModifiedTime(mark, FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException gone) {
                return false;
            }
        } catch (IOException cannotMark) {
            return true; // no shared directory: fall back to this JVM's own bookkeeping
        }
        mark.toFile().deleteOnExit();
        return true;
    }

    private static final Path RESERVATIONS = Path.of(System.getProperty("java.io.tmpdir"), "flotilla-test-ports");

    /** The lowest port handed out: above the well-known and most registered service ports. */
    private static final int LOWEST = 20_000;
    /** The first port of the kernel's ephemeral range (Linux: {@code ip_local_port_range}), 32768 where unknown. */
    private static final int EPHEMERAL_FIRST = ephemeralFirst();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static int ephemeralFirst() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            int first = Integer.parseInt(range.trim().split("\\s+")[0]);
            return first > LOWEST + 1_000 ? first : 32_768;
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }
}

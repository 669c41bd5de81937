package io.flotilla.testsupport.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A TCP proxy on a free loopback port in front of one HTTP server, which injects faults into chosen requests:
 * it can lose the server's answer after the server has handled the request (the client sees the connection
 * close, as when a network drops a reply), or answer in the server's place without forwarding anything.
 *
 * <p>Each fault is armed for the next request whose request line ({@code POST /v1/x HTTP/1.1}) matches, and is
 * used once. Requests are recognised by their request line at the start of a read from the client, which holds for
 * HTTP/1.1 clients that send one request at a time on a connection (the JDK's client does; no pipelining).
 * Everything else passes through unchanged. Connections are served on virtual threads; {@link #close()} ends them.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> requestLines = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger injected = new AtomicInteger();
    private volatile boolean closed;

    private FaultInjectingProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Starts a proxy to {@code target} (an {@code http://host:port} address). */
    public static FaultInjectingProxy to(URI target) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            FaultInjectingProxy proxy = new FaultInjectingProxy(listener,
                    new InetSocketAddress(target.getHost(), target.getPort()));
            proxy.threads.execute(proxy::accept);
            return proxy;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxy's address, to give the client instead of the server's. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /**
     * Forwards the next request whose request line matches, waits for the server's answer, discards it, and
     * closes both connections: the server has handled the request, the client never learns how.
     */
    public void loseNextAnswer(Predicate<String> requestLine) {
        faults.add(new Fault(requestLine, null));
    }

    /**
     * Answers the next request whose request line matches with {@code status} and {@code body} (as
     * {@code application/problem+json}) instead of forwarding it, then closes the connection.
     */
    public void answerNextInstead(Predicate<String> requestLine, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " Injected\r\nContent-Type: application/problem+json\r\n"
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        byte[] answer = new byte[head.length() + bytes.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, answer, 0, head.length());
        System.arraycopy(bytes, 0, answer, head.length(), bytes.length);
        faults.add(new Fault(requestLine, answer));
    }

    /** Request lines seen so far, forwarded or not, in arrival order. */
    public List<String> requestLines() {
        synchronized (requestLines) {
            return List.copyOf(requestLines);
        }
    }

    /** How many armed faults have been injected. */
    public int faultsInjected() {
        return injected.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        synchronized (sockets) {
            sockets.forEach(FaultInjectingProxy::closeQuietly);
        }
        threads.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            }
            catch (IOException e) {
                return;
            }
            sockets.add(client);
            threads.execute(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        Connection connection = new Connection(client);
        try (client) {
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                String requestLine = requestLine(buffer, read);
                Fault fault = requestLine == null ? null : claim(requestLine);
                if (requestLine != null) {
                    requestLines.add(requestLine);
                }
                if (fault != null && fault.answer() != null) {
                    injected.incrementAndGet();
                    client.getOutputStream().write(fault.answer());
                    client.getOutputStream().flush();
                    return;
                }
                if (fault != null) {
                    connection.loseNextAnswer = true;
                }
                connection.upstream().getOutputStream().write(buffer, 0, read);
                connection.upstream().getOutputStream().flush();
            }
        }
        catch (IOException e) {
            // the client or the server went away: the connection ends, as it would without the proxy
        }
        finally {
            connection.close();
        }
    }

    /** Copies the server's bytes back, unless an answer is to be lost: then the first bytes end both connections. */
    private void pumpBack(Connection connection) {
        try {
            InputStream in = connection.upstream.getInputStream();
            OutputStream out = connection.client.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (connection.loseNextAnswer) {
                    injected.incrementAndGet();
                    connection.close();
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        catch (IOException e) {
            // either side closed
        }
        finally {
            connection.close();
        }
    }

    private Fault claim(String requestLine) {
        for (Fault fault : faults) {
            if (fault.requestLine().test(requestLine) && faults.remove(fault)) {
                return fault;
            }
        }
        return null;
    }

    /** The request line if the read starts with one ({@code METHOD /path HTTP/1.x}), else null. */
    private static String requestLine(byte[] buffer, int length) {
        int end = -1;
        for (int i = 0; i + 1 < length; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                end = i;
                break;
            }
        }
        if (end <= 0) {
            return null;
        }
        String line = new String(buffer, 0, end, StandardCharsets.US_ASCII);
        return line.matches("[A-Z]+ \\S+ HTTP/1\\.[01]") ? line : null;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception e) {
            // closing anyway
        }
    }

    private record Fault(Predicate<String> requestLine, byte[] answer) {
    }

    /** One client connection and its server connection, opened on the first request that is forwarded. */
    private final class Connection {

        private final Socket client;
        private Socket upstream;
        private volatile boolean loseNextAnswer;

        Connection(Socket client) {
            this.client = client;
        }

        Socket upstream() throws IOException {
            if (upstream == null) {
                upstream = new Socket();
                upstream.connect(target, 5_000);
                sockets.add(upstream);
                threads.execute(() -> pumpBack(this));
            }
            return upstream;
        }

        void close() {
            closeQuietly(client);
            if (upstream != null) {
                closeQuietly(upstream);
            }
        }
    }
}

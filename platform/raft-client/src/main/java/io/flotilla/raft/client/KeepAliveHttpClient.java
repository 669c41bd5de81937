package io.flotilla.raft.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A small HTTP/1.1 client on keep-alive connections and blocking sockets: each exchange runs entirely in the calling
 * thread, one exchange at a time per connection, idle connections kept per origin (most recently used first), so a
 * caller with N requests in flight holds about N connections and opens none per request. Plain Java: it puts no
 * HTTP library on an application's class path and shares nothing with the application's own HTTP clients (no global
 * factory, no customizer, no system property).
 *
 * <p>Why not the JDK's {@code HttpClient}: profiled under 64 concurrent callers, its asynchronous machinery (a
 * selector thread, executor hand-offs and futures per exchange) cost the client more CPU than the request itself,
 * and on a machine shared with the servers every core it takes is taken from them (docs/benchmarks.md, "Registry").
 *
 * <p>What a failure means: a connection that could not be opened (refused, timed out, TLS handshake failed) sent
 * nothing and is reported as a {@link ConnectException}; any other {@link IOException} means the request may have
 * been written and got no complete answer. Nothing is ever sent twice. A connection the server marks
 * {@code Connection: close} is not reused, and one idle for longer than {@link #MAX_IDLE} is closed rather than
 * reused, well before a server's keep-alive time-out (Tomcat's: 20 s or more) could close it under a request; one
 * the server has closed meanwhile (a restart) is found so before it is reused, without waiting, and not used.
 */
public final class KeepAliveHttpClient implements AutoCloseable {

    /** Idle connections older than this are closed instead of reused. */
    public static final Duration MAX_IDLE = Duration.ofSeconds(10);

    /** Idle connections kept per origin; more are closed when returned. */
    private static final int MAX_IDLE_CONNECTIONS = 256;

    private final SSLContext sslContext;

    private final Duration connectTimeout;

    private final Map<String, Deque<HttpConnection>> idle = new ConcurrentHashMap<>();

    private volatile boolean closed;

    /**
     * @param sslContext TLS of connections to {@code https://} origins; null for the JDK's default context
     * @param connectTimeout longest wait for a TCP connection (and its TLS handshake)
     */
    public KeepAliveHttpClient(SSLContext sslContext, Duration connectTimeout) {
        this.sslContext = sslContext;
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /**
     * Sends one request and waits for its whole answer.
     *
     * @param origin {@code http://host:port} or {@code https://host:port}; a path in it is ignored
     * @param pathAndQuery request target, starting with {@code /}
     * @param headers request headers; {@code Host} and {@code Content-Length} are set here
     * @param body request body, or null
     * @param timeout longest wait for the answer once the request is written
     * @throws ConnectException when no connection could be opened: nothing was sent
     * @throws IOException when the request may have been sent and no complete answer came
     */
    public HttpAnswer exchange(URI origin, String method, String pathAndQuery, Map<String, String> headers,
            byte[] body, Duration timeout) throws IOException {
        if (closed) {
            throw new ConnectException("The HTTP client is closed");
        }
        String key = origin.getScheme() + "://" + origin.getRawAuthority();
        HttpConnection connection = idleConnection(key);
        if (connection == null) {
            connection = connect(origin);
        }
        HttpAnswer answer;
        try {
            answer = connection.exchange(method, pathAndQuery, headers, body, timeout);
        }
        catch (IOException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
        if (answer.keepAlive()) {
            release(key, connection);
        }
        else {
            connection.close();
        }
        return answer;
    }

    private HttpConnection idleConnection(String key) {
        Deque<HttpConnection> connections = idle.get(key);
        if (connections == null) {
            return null;
        }
        long oldest = System.nanoTime() - MAX_IDLE.toNanos();
        HttpConnection connection;
        while ((connection = connections.pollFirst()) != null) {
            if (connection.idleSince() - oldest > 0 && !connection.closedByPeer()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    private void release(String key, HttpConnection connection) {
        Deque<HttpConnection> connections = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        if (closed || connections.size() >= MAX_IDLE_CONNECTIONS) {
            connection.close();
            return;
        }
        connection.markIdle(System.nanoTime());
        connections.addFirst(connection);
    }

    /** Opens a connection, TLS handshake included; any failure here sent nothing. */
    private HttpConnection connect(URI origin) throws ConnectException {
        boolean https = "https".equalsIgnoreCase(origin.getScheme());
        String host = origin.getHost();
        int port = origin.getPort() != -1 ? origin.getPort() : https ? 443 : 80;
        int timeoutMillis = (int) Math.max(1, connectTimeout.toMillis());
        Socket socket = null;
        try {
            // A channel's socket, not new Socket(): its blocking reads end when the calling thread is interrupted
            // (the channel is closed, ClosedByInterruptException), on platform threads too, so a caller waiting on
            // a long poll (a lock waiter, a watch) can be cancelled; a plain socket's read ignores the interrupt.
            SocketChannel channel = SocketChannel.open();
            socket = channel.socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            if (https) {
                SSLSocket tls = (SSLSocket) tlsContext().getSocketFactory().createSocket(socket, host, port, true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(timeoutMillis);
                tls.startHandshake();
                socket = tls;
            }
            return new HttpConnection(socket, channel, origin.getRawAuthority());
        }
        catch (IOException ex) {
            if (socket != null) {
                closeQuietly(socket);
            }
            ConnectException notSent = new ConnectException(origin.getScheme() + "://" + origin.getRawAuthority()
                    + ": " + ex);
            notSent.initCause(ex);
            throw notSent;
        }
    }

    private SSLContext tlsContext() {
        if (sslContext != null) {
            return sslContext;
        }
        try {
            return SSLContext.getDefault();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("The JVM has no default TLS context", ex);
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // nothing more to release
        }
    }

    /** Closes every idle connection; connections in use are closed when their exchange ends. */
    @Override
    public void close() {
        closed = true;
        idle.values().forEach(connections -> {
            HttpConnection connection;
            while ((connection = connections.pollFirst()) != null) {
                connection.close();
            }
        });
    }
}

package io.flotilla.raft.server;

import io.flotilla.raft.client.ClusterUnavailableException;
import io.flotilla.raft.client.WriteOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The keep-alive HTTP/1.1 connections a follower forwards requests to its leader over. One exchange at a time per
 * connection, connections kept between exchanges (most recently used first), so a follower under load holds about
 * as many connections to the leader as it has requests in flight and opens none per request. Each exchange runs
 * entirely in the calling (Tomcat) thread on a blocking socket: Netty's HTTP codec, driven synchronously through an
 * {@link EmbeddedChannel}, encodes the request and decodes the answer; no other thread takes part.
 *
 * <p>Why not the JDK's {@code HttpClient}: profiled on a follower under 64 concurrent forwarded writes, its
 * asynchronous machinery (a selector thread and executor hand-offs per exchange, futures per stage) took about
 * 30 % of the follower's CPU, more than the follower's own share of Raft (docs/benchmarks.md, "Service edge").
 *
 * <p>What a failure means for a write, the same rules as the clients' {@code FailoverTransport}: a connection that
 * could not be opened (or whose TLS handshake failed) sent nothing, {@link WriteOutcome#NOT_APPLIED}; a request that
 * was written and got no complete answer (connection closed, time-out, an answer that cannot be read) may have been
 * applied, {@link WriteOutcome#UNKNOWN}. Nothing is ever sent twice. A connection the leader marks
 * {@code Connection: close} is not reused, and one idle for longer than {@link #MAX_IDLE} is closed rather than
 * reused, well before the leader's keep-alive time-out (Tomcat's: 20 s) could close it under a request.
 */
final class LeaderConnections implements AutoCloseable {

    /** Idle connections older than this are closed instead of reused. */
    static final Duration MAX_IDLE = Duration.ofSeconds(10);

    /** Idle connections kept per leader address; more are closed when returned. */
    private static final int MAX_IDLE_CONNECTIONS = 256;

    /** Largest answer relayed (a linearizable read of many keys); larger ones fail the exchange. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private final SSLContext sslContext;

    private final Duration connectTimeout;

    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();

    private volatile boolean closed;

    /**
     * @param sslContext TLS of connections to an {@code https://} leader; null for the JDK's default context
     */
    LeaderConnections(SSLContext sslContext, Duration connectTimeout) {
        this.sslContext = sslContext;
        this.connectTimeout = connectTimeout;
    }

    /** The leader's answer: status, headers (the connection's own included) and the whole body. */
    record Answer(int status, HttpHeaders headers, byte[] body) {
    }

    /**
     * Sends one request to {@code leader} and waits for its answer.
     *
     * @param headers request headers; {@code Host}, {@code Content-Length} and {@code Content-Type} are set here
     * @throws ClusterUnavailableException with the request's {@link WriteOutcome} when no answer came
     */
    Answer exchange(URI leader, String method, String pathAndQuery, Map<String, String> headers, byte[] body,
                    String contentType, Duration timeout) {
        String origin = leader.getScheme() + "://" + leader.getAuthority();
        Connection connection = idleConnection(origin);
        if (connection == null) {
            connection = connect(leader, origin);
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method),
                pathAndQuery, body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders requestHeaders = request.headers();
        headers.forEach(requestHeaders::set);
        requestHeaders.set(HttpHeaderNames.HOST, leader.getAuthority());
        if (body.length > 0 || !("GET".equals(method) || "HEAD".equals(method) || "DELETE".equals(method))) {
            HttpUtil.setContentLength(request, body.length);
        }
        if (body.length > 0) {
            requestHeaders.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        FullHttpResponse response;
        try {
            response = connection.exchange(request, timeout);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw new ClusterUnavailableException(method + " " + pathAndQuery + " at " + leader + " got no answer ("
                    + e + "); it may or may not have been applied", WriteOutcome.UNKNOWN, e);
        }
        try {
            Answer answer = new Answer(response.status().code(), response.headers(),
                    ByteBufUtil.getBytes(response.content()));
            if (HttpUtil.isKeepAlive(response)) {
                release(origin, connection);
            } else {
                connection.close();
            }
            return answer;
        } finally {
            response.release();
        }
    }

    private Connection idleConnection(String origin) {
        Deque<Connection> connections = idle.get(origin);
        if (connections == null) {
            return null;
        }
        long oldest = System.nanoTime() - MAX_IDLE.toNanos();
        Connection connection;
        while ((connection = connections.pollFirst()) != null) {
            if (connection.idleSince - oldest > 0) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    private void release(String origin, Connection connection) {
        Deque<Connection> connections = idle.computeIfAbsent(origin, key -> new ConcurrentLinkedDeque<>());
        if (closed || connections.size() >= MAX_IDLE_CONNECTIONS) {
            connection.close();
            return;
        }
        connection.idleSince = System.nanoTime();
        connections.addFirst(connection);
    }

    /** Opens a connection (TLS handshake included); any failure here sent nothing. */
    private Connection connect(URI leader, String origin) {
        boolean https = "https".equalsIgnoreCase(leader.getScheme());
        String host = leader.getHost();
        int port = leader.getPort() != -1 ? leader.getPort() : https ? 443 : 80;
        int timeoutMillis = (int) connectTimeout.toMillis();
        Socket socket = new Socket();
        try {
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
            return new Connection(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ClusterUnavailableException(origin + " refused the connection (" + e + ")",
                    WriteOutcome.NOT_APPLIED, e);
        }
    }

    private SSLContext tlsContext() {
        if (sslContext != null) {
            return sslContext;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no default TLS context", e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(connections -> {
            Connection connection;
            while ((connection = connections.pollFirst()) != null) {
                connection.close();
            }
        });
    }

    /** One socket and the codec state of its HTTP/1.1 exchanges. */
    private static final class Connection {

        private final Socket socket;

        private final InputStream in;

        private final OutputStream out;

        private final EmbeddedChannel codec = new EmbeddedChannel(new HttpClientCodec(),
                new HttpObjectAggregator(MAX_ANSWER_BYTES));

        private final byte[] readBuffer = new byte[16 * 1024];

        private long idleSince;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        FullHttpResponse exchange(FullHttpRequest request, Duration timeout) throws IOException {
            codec.writeOutbound(request);
            ByteBuf encoded;
            while ((encoded = codec.readOutbound()) != null) {
                try {
                    encoded.readBytes(out, encoded.readableBytes());
                } finally {
                    encoded.release();
                }
            }
            out.flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                FullHttpResponse response = codec.readInbound();
                if (response != null) {
                    return response;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new SocketTimeoutException("no answer within " + timeout);
                }
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                int read = in.read(readBuffer);
                if (read < 0) {
                    throw new EOFException("the leader closed the connection before answering");
                }
                // A copy: the decoder may keep slices of what it is given, and readBuffer is reused.
                codec.writeInbound(Unpooled.copiedBuffer(readBuffer, 0, read));
            }
        }

        void close() {
            try {
                codec.finishAndReleaseAll();
            } catch (RuntimeException halfReadAnswer) {
                // e.g. the connection broke in the middle of an answer: the exchange has already said so
                codec.releaseInbound();
                codec.releaseOutbound();
            }
            closeQuietly(socket);
        }
    }
}

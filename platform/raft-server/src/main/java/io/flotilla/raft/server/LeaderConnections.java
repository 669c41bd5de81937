package io.flotilla.raft.server;

import io.flotilla.raft.client.ClusterUnavailableException;
import io.flotilla.raft.client.HttpAnswer;
import io.flotilla.raft.client.KeepAliveHttpClient;
import io.flotilla.raft.client.WriteOutcome;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * The keep-alive HTTP/1.1 connections a follower forwards requests to its leader over: the clients' own
 * {@link KeepAliveHttpClient} (flotilla-raft-client), so a follower and the starters use one HTTP client. One exchange
 * at a time per connection, connections kept between exchanges (most recently used first), so a follower under load
 * holds about as many connections to the leader as it has requests in flight and opens none per request. Each
 * exchange runs entirely in the calling (Tomcat) thread on a blocking socket; no other thread takes part.
 *
 * <p>Why not the JDK's {@code HttpClient}: profiled on a follower under 64 concurrent forwarded writes, its
 * asynchronous machinery (a selector thread and executor hand-offs per exchange, futures per stage) took about
 * 30 % of the follower's CPU, more than the follower's own share of Raft (docs/benchmarks.md, "Service edge").
 *
 * <p>What a failure means for a write, the same rules as the clients' {@code FailoverTransport}: a connection that
 * could not be opened (or whose TLS handshake failed) sent nothing, {@link WriteOutcome#NOT_APPLIED}; a request that
 * was written and got no complete answer (connection closed, time-out, an answer that cannot be read) may have been
 * applied, {@link WriteOutcome#UNKNOWN}. Nothing is ever sent twice. A connection the leader marks
 * {@code Connection: close} is not reused, and one idle for longer than {@link KeepAliveHttpClient#MAX_IDLE} is
 * closed rather than reused, well before the leader's keep-alive time-out (Tomcat's: 20 s) could close it under a
 * request.
 */
final class LeaderConnections implements AutoCloseable {

    private final KeepAliveHttpClient http;

    /**
     * @param sslContext TLS of connections to an {@code https://} leader; null for the JDK's default context
     */
    LeaderConnections(SSLContext sslContext, Duration connectTimeout) {
        this.http = new KeepAliveHttpClient(sslContext, connectTimeout);
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
        Map<String, String> requestHeaders = headers;
        if (body.length > 0) {
            requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            requestHeaders.putAll(headers);
            requestHeaders.put("Content-Type", contentType);
        }
        HttpAnswer answer;
        try {
            answer = http.exchange(leader, method, pathAndQuery, requestHeaders, body, timeout);
        } catch (ConnectException notSent) {
            throw new ClusterUnavailableException(leader.getScheme() + "://" + leader.getAuthority()
                    + " refused the connection (" + notSent + ")", WriteOutcome.NOT_APPLIED, notSent);
        } catch (IOException | RuntimeException e) {
            throw new ClusterUnavailableException(method + " " + pathAndQuery + " at " + leader + " got no answer ("
                    + e + "); it may or may not have been applied", WriteOutcome.UNKNOWN, e);
        }
        HttpHeaders answerHeaders = new DefaultHttpHeaders();
        answer.headers().map().forEach(answerHeaders::add);
        return new Answer(answer.status(), answerHeaders, answer.body());
    }

    @Override
    public void close() {
        http.close();
    }
}

package io.flotilla.raft.server;

import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.client.FlotillaHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * Publishes this node's HTTP address through the log until the replicated {@link MemberDirectory} holds it, and
 * again whenever it differs (the node restarted on another port): a leader submits it itself, a follower sends it
 * to the leader's {@code PUT /v1/cluster/members/{id}/url}. The leader publishes first (it needs nobody), so a
 * follower always learns where to send its own. One cheap map look-up per tick once published.
 */
public final class MemberUrlPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemberUrlPublisher.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final RaftServer server;
    private final SSLContext sslContext;
    private HttpClient http;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private ScheduledFuture<?> ticks;

    /**
     * @param sslContext TLS of calls to an {@code https://} leader (the CAs it trusts, the key it presents); null for
     *                   the JDK's default
     */
    public MemberUrlPublisher(RaftServer server, SSLContext sslContext) {
        this.server = server;
        this.sslContext = sslContext;
    }

    /**
     * The client for a follower's calls to its leader, made at the first such call: a leader, so a node alone,
     * never needs one, and building it at start (its selector thread, and the JDK's default trust store loaded for
     * TLS when no context is given) was one of the larger beans of a one-node service's start (0.3 s of its
     * start-up steps on a loaded machine).
     */
    private synchronized HttpClient http() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT)
                    .version(HttpClient.Version.HTTP_1_1);
            http = (sslContext == null ? builder : builder.sslContext(sslContext)).build();
        }
        return http;
    }

    /** Starts checking every 100 ms on the kit's thread. */
    public synchronized void start(RaftServerTasks tasks) {
        if (ticks == null) {
            ticks = tasks.executor().scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        if (http != null) {
            http.close();
        }
    }

    void tick() {
        Optional<String> own = server.ownHttpUrl();
        RaftStatus status = server.status();
        if (own.isEmpty() || !status.running() || status.leaderId() == null
                || own.equals(server.directory().url(server.nodeId()))
                || status.config().member(server.nodeId()).isEmpty() || !inFlight.compareAndSet(false, true)) {
            return;
        }
        publish(own.get(), status).whenComplete((done, failure) -> {
            inFlight.set(false);
            if (failure != null) {
                log.debug("Publishing {}'s HTTP address {} failed, will retry: {}", server.nodeId(), own.get(),
                        failure.toString());
            } else {
                log.info("Node {} published its HTTP address {}", server.nodeId(), own.get());
            }
        });
    }

    private CompletableFuture<Void> publish(String url, RaftStatus status) {
        if (status.isLeader()) {
            return server.publishMemberUrl(server.nodeId(), url);
        }
        Optional<String> leader = server.leaderHttpUrl();
        if (leader.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("leader " + status.leaderId()
                    + " has not published its address yet"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(leader.get() + "/v1/cluster/members/" + server.nodeId() + "/url"))
                .timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .header(FlotillaHeaders.FORWARDED_BY, server.nodeId())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}"));
        String token = server.properties().getToken();
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return http().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("leader answered " + response.statusCode() + ": " + response.body());
            }
            return null;
        });
    }
}

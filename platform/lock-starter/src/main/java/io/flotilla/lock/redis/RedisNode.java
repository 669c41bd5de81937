package io.flotilla.lock.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;

/**
 * One Redis server: a multiplexed command connection (thread-safe, pipelined by Lettuce) and, on demand, a
 * pub/sub connection. Commands fail fast while the server is unreachable instead of queueing for a reconnect,
 * so a dead RedLock member costs a quick error, not a wait.
 */
public final class RedisNode implements AutoCloseable {

    private static final long RECONNECT_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final String description;
    private final RedisClient client;
    private final boolean ownsClient;
    private volatile StatefulRedisConnection<String, String> connection;
    private long lastConnectAttempt;
    private volatile RuntimeException lastConnectError;

    /**
     * @param uri the server
     * @param commandTimeout how long a single command (or a connection attempt) may take before it counts as failed
     * @param resources event loops shared with the other nodes of one backend
     */
    public RedisNode(RedisURI uri, Duration commandTimeout, ClientResources resources) {
        this.description = uri.toString();
        this.client = RedisClient.create(resources, uri);
        this.ownsClient = true;
        this.client.setOptions(ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
            .build());
        connection();
    }

    /**
     * A node on a client configured and owned by someone else (Spring Data Redis's connection factory): its
     * options (password, SSL, sentinel, time-outs) apply as they are, and closing the node leaves the client open.
     *
     * @param client a client created with the server's {@code RedisURI}, so that {@code connect()} needs no address
     * @param description how the server is named in messages
     */
    public RedisNode(RedisClient client, String description) {
        this.description = description;
        this.client = client;
        this.ownsClient = false;
        connection();
    }

    /**
     * The command connection, connecting first if needed. A RedLock member may be down at start-up, so a failed
     * connect is retried at most once a second rather than failing the backend; once connected, Lettuce
     * reconnects by itself.
     */
    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (connection == null && (lastConnectAttempt == 0
                    || System.nanoTime() - lastConnectAttempt > RECONNECT_INTERVAL_NANOS)) {
                lastConnectAttempt = System.nanoTime();
                try {
                    connection = client.connect();
                } catch (RuntimeException e) {
                    lastConnectError = e;
                    return null;
                }
            }
            return connection;
        }
    }

    /** Runs a lock script by its SHA, loading it once when the server does not know it (first use, restart). */
    public CompletableFuture<Object> eval(LockScript script, ScriptOutputType type, String[] keys, String... args) {
        StatefulRedisConnection<String, String> current = connection();
        if (current == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to " + description
                    + (lastConnectError == null ? "" : ": " + lastConnectError.getMessage()), lastConnectError));
        }
        RedisAsyncCommands<String, String> commands = current.async();
        return commands.<Object>evalsha(script.sha1(), type, keys, args)
            .toCompletableFuture()
            .exceptionallyCompose(error -> unwrap(error) instanceof RedisNoScriptException
                    ? commands.<Object>eval(script.source(), type, keys, args).toCompletableFuture()
                    : CompletableFuture.failedFuture(error));
    }

    /** A new pub/sub connection to this server; the caller closes it. */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client.connectPubSub();
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Reads a script's {@code MULTI} reply as a list. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        if (ownsClient) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Override
    public String toString() {
        return description;
    }
}

package io.flotilla.lock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes waiting acquirers when a lock is released, over Redis pub/sub, so waiters do not poll. One pub/sub
 * connection per server serves every lock of the process: a channel is subscribed while at least one local thread
 * waits on it. Each release message hands out one permit, so one local waiter retries per release rather than
 * all of them (no thundering herd inside a process).
 */
public final class RedisWakeups implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisWakeups.class);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(2);

    private final List<StatefulRedisPubSubConnection<String, String>> connections = new ArrayList<>();
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    public RedisWakeups(List<RedisNode> nodes) {
        for (RedisNode node : nodes) {
            try {
                StatefulRedisPubSubConnection<String, String> connection = node.connectPubSub();
                connection.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        Channel waiting = channels.get(channel);
                        if (waiting != null) {
                            waiting.permits.release();
                        }
                    }
                });
                connections.add(connection);
            } catch (RuntimeException e) {
                // Waiters on this server's locks fall back to waking at the lease's end or the retry delay.
                log.warn("No pub/sub connection to {}; waiters will not be woken by its releases: {}", node, e.toString());
            }
        }
    }

    /** Starts listening on {@code channel}; acquire again after this returns, then wait on the subscription. */
    public Subscription subscribe(String channel) {
        Channel entry = channels.compute(channel, (name, existing) -> {
            Channel current = existing != null ? existing : new Channel(subscribeAll(name));
            current.references++;
            return current;
        });
        try {
            entry.subscribed.get(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Not subscribed everywhere: the waiter still wakes at its bounded wait and retries.
            log.debug("Subscription to {} incomplete: {}", channel, e.toString());
        }
        return new Subscription(channel, entry);
    }

    private CompletableFuture<Void> subscribeAll(String channel) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (StatefulRedisPubSubConnection<String, String> connection : connections) {
            pending.add(connection.async().subscribe(channel).toCompletableFuture());
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    private void release(String channel) {
        channels.computeIfPresent(channel, (name, current) -> {
            if (--current.references > 0) {
                return current;
            }
            for (StatefulRedisPubSubConnection<String, String> connection : connections) {
                connection.async().unsubscribe(name);
            }
            return null;
        });
    }

    @Override
    public void close() {
        connections.forEach(StatefulRedisPubSubConnection::close);
    }

    private static final class Channel {

        final Semaphore permits = new Semaphore(0);
        final CompletableFuture<Void> subscribed;
        int references;

        Channel(CompletableFuture<Void> subscribed) {
            this.subscribed = subscribed;
        }
    }

    /** One waiter's interest in a channel; close it when done waiting. */
    public final class Subscription implements AutoCloseable {

        private final String channel;
        private final Channel entry;

        private Subscription(String channel, Channel entry) {
            this.channel = channel;
            this.entry = entry;
        }

        /** Waits for a release message or {@code timeout}, whichever comes first. */
        public void await(Duration timeout) throws InterruptedException {
            entry.permits.tryAcquire(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            release(channel);
        }
    }
}

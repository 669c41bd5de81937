package io.flotilla.lock.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockBackendException;
import io.flotilla.lock.core.LockState;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

/**
 * Locks on one Redis server: {@code SET lock <token>:<owner> NX PX <lease>} inside a script that first takes the
 * token from the lock's own {@code INCR} counter; release and renewal are compare-and-delete and
 * compare-and-expire scripts against the caller's owner. Waiters are woken by a message published on release,
 * and otherwise wake when the holder's lease runs out.
 *
 * <p>This is an efficiency lock: a failover to a replica that missed the last write, or a holder paused past its
 * lease, lets two holders overlap. The fencing token, checked by the protected resource, is what keeps data
 * correct. Tokens strictly increase as long as the server keeps its data (persistence on, no failover to a
 * lagging replica).
 */
public final class RedisLockBackend implements LockBackend {

    private final String keyPrefix;
    private final Duration commandTimeout;
    /** Event loops this backend created itself, shut down on close; null on a client owned by someone else. */
    private final ClientResources resources;
    private final RedisNode node;
    private final RedisWakeups wakeups;

    /**
     * @param uri the Redis server, for example {@code redis://127.0.0.1:6379}
     * @param keyPrefix prefix of every key this backend writes
     * @param commandTimeout how long one command may take
     */
    public RedisLockBackend(String uri, String keyPrefix, Duration commandTimeout) {
        this(DefaultClientResources.create(), uri, keyPrefix, commandTimeout);
    }

    private RedisLockBackend(ClientResources resources, String uri, String keyPrefix, Duration commandTimeout) {
        this(new RedisNode(RedisURI.create(uri), commandTimeout, resources), resources, keyPrefix, commandTimeout);
    }

    /**
     * A backend on a Lettuce client that someone else configured and owns, typically the native client of Spring
     * Data Redis's {@code LettuceConnectionFactory}, so that the application's {@code spring.data.redis.*}
     * (password, SSL bundle, sentinel, client resources) apply. Closing the backend leaves the client open.
     *
     * @param client a client created with the server's {@code RedisURI}
     * @param description how the server is named in messages, for example its address
     * @param keyPrefix prefix of every key this backend writes
     * @param commandTimeout how long one command may take
     */
    public RedisLockBackend(RedisClient client, String description, String keyPrefix, Duration commandTimeout) {
        this(new RedisNode(client, description), null, keyPrefix, commandTimeout);
    }

    private RedisLockBackend(RedisNode node, ClientResources ownResources, String keyPrefix, Duration commandTimeout) {
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.commandTimeout = commandTimeout;
        this.resources = ownResources;
        this.node = node;
        this.wakeups = new RedisWakeups(List.of(node));
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public Optional<Grant> acquire(String name, String owner, Duration lease, Duration wait)
            throws InterruptedException {
        LockKeys keys = LockKeys.of(keyPrefix, name);
        long deadline = System.nanoTime() + wait.toNanos();
        List<Object> reply = tryAcquire(keys, owner, lease);
        if (granted(reply)) {
            return Optional.of(new Grant((Long) reply.get(1), false));
        }
        if (wait.isZero() || wait.isNegative()) {
            return Optional.empty();
        }
        try (RedisWakeups.Subscription subscription = wakeups.subscribe(keys.channel())) {
            while (true) {
                // Tried again after subscribing: a release between the first try and the subscription sent its
                // message to nobody.
                reply = tryAcquire(keys, owner, lease);
                if (granted(reply)) {
                    return Optional.of(new Grant((Long) reply.get(1), true));
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                long holderLeftMillis = (Long) reply.get(1);
                long sleep = holderLeftMillis > 0 ? Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(holderLeftMillis))
                        : Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(5));
                subscription.await(Duration.ofNanos(sleep));
            }
        }
    }

    private static boolean granted(List<Object> reply) {
        return ((Long) reply.get(0)) == 1L;
    }

    private List<Object> tryAcquire(LockKeys keys, String owner, Duration lease) throws InterruptedException {
        try {
            return RedisNode.list(await(node.eval(LockScript.ACQUIRE, ScriptOutputType.MULTI,
                    new String[] { keys.lock(), keys.fence() }, owner, Long.toString(lease.toMillis()))));
        } catch (LockBackendException | InterruptedException e) {
            // The script may have run although its reply was lost: remove a lock this owner might now hold, so an
            // interrupted or failed acquire leaves nothing behind.
            node.eval(LockScript.RELEASE, ScriptOutputType.INTEGER, new String[] { keys.lock() }, owner, keys.channel());
            throw e;
        }
    }

    @Override
    public boolean renew(String name, String owner, Duration lease) {
        LockKeys keys = LockKeys.of(keyPrefix, name);
        return 1L == (Long) awaitUninterruptibly(node.eval(LockScript.RENEW, ScriptOutputType.INTEGER,
                new String[] { keys.lock() }, owner, Long.toString(lease.toMillis())));
    }

    @Override
    public boolean release(String name, String owner) {
        LockKeys keys = LockKeys.of(keyPrefix, name);
        return 1L == (Long) awaitUninterruptibly(node.eval(LockScript.RELEASE, ScriptOutputType.INTEGER,
                new String[] { keys.lock() }, owner, keys.channel()));
    }

    @Override
    public Optional<LockState> inspect(String name) {
        LockKeys keys = LockKeys.of(keyPrefix, name);
        List<Object> reply = RedisNode.list(awaitUninterruptibly(node.eval(LockScript.INSPECT, ScriptOutputType.MULTI,
                new String[] { keys.lock() })));
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(LockKeys.state(name, (String) reply.get(0), (Long) reply.get(1)));
    }

    private Object await(java.util.concurrent.CompletableFuture<Object> reply) throws InterruptedException {
        try {
            return reply.get(commandTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new LockBackendException("Redis " + node + " failed: " + RedisNode.unwrap(e).getMessage(),
                    RedisNode.unwrap(e));
        } catch (TimeoutException e) {
            throw new LockBackendException("Redis " + node + " did not answer within " + commandTimeout, e);
        }
    }

    private Object awaitUninterruptibly(java.util.concurrent.CompletableFuture<Object> reply) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return await(reply);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        wakeups.close();
        node.close();
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "RedisLockBackend[" + node + ", prefix " + keyPrefix + "]";
    }
}

package io.flotilla.lock.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockBackendException;
import io.flotilla.lock.core.LockState;
import io.flotilla.lock.redis.LockKeys;
import io.flotilla.lock.redis.LockScript;
import io.flotilla.lock.redis.RedisNode;
import io.flotilla.lock.redis.RedisWakeups;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

/**
 * RedLock over N independent Redis servers: the lock is taken on every server in parallel with the same
 * {@code SET NX PX} script as the single-server backend, and is held only when a majority granted it and the time
 * spent getting there, plus an allowance for clock drift, left part of the lease (the validity time). Otherwise it
 * is released on all servers and retried after a random delay or a release message, whichever comes first.
 * Release and renewal go to all servers; they count as done when a majority confirms.
 *
 * <p>Fencing tokens take a second round. Each server answers with its own per-name counter; the token is the
 * largest of the majority's answers, and the second round raises every server's counter to it. A later holder's
 * majority shares at least one server with the majority that confirmed that round, so its token is larger. A
 * server that restarts empty breaks this (and RedLock's exclusion too), which is why correctness still rests on
 * the protected resource checking the token.
 */
public final class RedlockBackend implements LockBackend {

    private static final double CLOCK_DRIFT_FACTOR = 0.01;
    private static final long DRIFT_ALLOWANCE_MILLIS = 2;
    private static final long MAX_RETRY_DELAY_MILLIS = 200;

    private final String keyPrefix;
    private final Duration nodeTimeout;
    private final ClientResources resources;
    private final List<RedisNode> nodes;
    private final int quorum;
    private final RedisWakeups wakeups;

    /**
     * @param uris the independent servers (not replicas of one another), at least 3 and best an odd number
     * @param keyPrefix prefix of every key written
     * @param nodeTimeout how long one server may take to answer; keep it small next to the lease
     */
    public RedlockBackend(List<String> uris, String keyPrefix, Duration nodeTimeout) {
        if (uris.size() < 3) {
            throw new IllegalArgumentException("RedLock needs at least 3 independent Redis servers, got " + uris);
        }
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.nodeTimeout = nodeTimeout;
        this.resources = DefaultClientResources.create();
        this.nodes = uris.stream().map(uri -> new RedisNode(RedisURI.create(uri), nodeTimeout, resources)).toList();
        this.quorum = nodes.size() / 2 + 1;
        this.wakeups = new RedisWakeups(nodes);
    }

    @Override
    public String type() {
        return "redlock";
    }

    /** How many servers must agree. */
    public int quorum() {
        return quorum;
    }

    @Override
    public Optional<Grant> acquire(String name, String owner, Duration lease, Duration wait)
            throws InterruptedException {
        LockKeys keys = LockKeys.of(keyPrefix, name);
        long deadline = System.nanoTime() + wait.toNanos();
        boolean waited = false;
        RedisWakeups.Subscription subscription = null;
        try {
            while (true) {
                Attempt attempt = attempt(keys, owner, lease);
                if (attempt.token > 0) {
                    return Optional.of(new Grant(attempt.token, waited));
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    if (attempt.reachable < quorum) {
                        throw new LockBackendException("RedLock '" + name + "': only " + attempt.reachable + " of "
                                + nodes.size() + " Redis servers answered, " + quorum + " are needed");
                    }
                    return Optional.empty();
                }
                if (subscription == null) {
                    subscription = wakeups.subscribe(keys.channel());
                    waited = true;
                    continue;
                }
                long delay = ThreadLocalRandom.current().nextLong(MAX_RETRY_DELAY_MILLIS / 4, MAX_RETRY_DELAY_MILLIS);
                subscription.await(Duration.ofNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(delay))));
            }
        } finally {
            if (subscription != null) {
                subscription.close();
            }
        }
    }

    private record Attempt(long token, int reachable) {
    }

    private Attempt attempt(LockKeys keys, String owner, Duration lease) throws InterruptedException {
        long startedAt = System.nanoTime();
        String[] lockAndFence = { keys.lock(), keys.fence() };
        List<Object> replies = all(node -> node.eval(LockScript.ACQUIRE, ScriptOutputType.MULTI, lockAndFence, owner,
                Long.toString(lease.toMillis())));
        int granted = 0;
        int reachable = 0;
        long token = 0;
        for (Object reply : replies) {
            if (reply instanceof List<?> answer) {
                reachable++;
                if ((Long) answer.get(0) == 1L) {
                    granted++;
                    token = Math.max(token, (Long) answer.get(1));
                }
            }
        }
        if (granted >= quorum && validityLeft(startedAt, lease) > 0) {
            long chosen = token;
            List<Object> ratchets = all(node -> node.eval(LockScript.RATCHET, ScriptOutputType.INTEGER, lockAndFence,
                    owner, Long.toString(chosen)));
            long confirmed = ratchets.stream().filter(reply -> Long.valueOf(1L).equals(reply)).count();
            if (confirmed >= quorum && validityLeft(startedAt, lease) > 0) {
                return new Attempt(chosen, reachable);
            }
        }
        releaseEverywhere(keys, owner);
        return new Attempt(0, reachable);
    }

    private static long validityLeft(long startedAt, Duration lease) {
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        long drift = (long) (lease.toMillis() * CLOCK_DRIFT_FACTOR) + DRIFT_ALLOWANCE_MILLIS;
        return lease.toMillis() - elapsedMillis - drift;
    }

    /** Sends one command to every server in parallel; a server that fails or is too slow answers null. */
    private List<Object> all(java.util.function.Function<RedisNode, CompletableFuture<Object>> command)
            throws InterruptedException {
        List<CompletableFuture<Object>> pending = new ArrayList<>(nodes.size());
        for (RedisNode node : nodes) {
            pending.add(command.apply(node).completeOnTimeout(null, nodeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(error -> null));
        }
        List<Object> replies = new ArrayList<>(nodes.size());
        for (CompletableFuture<Object> reply : pending) {
            try {
                replies.add(reply.get());
            } catch (java.util.concurrent.ExecutionException e) {
                replies.add(null);
            }
        }
        return replies;
    }

    private List<Object> allUninterruptibly(java.util.function.Function<RedisNode, CompletableFuture<Object>> command) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return all(command);
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

    private int releaseEverywhere(LockKeys keys, String owner) {
        String[] lock = { keys.lock() };
        return (int) allUninterruptibly(node -> node.eval(LockScript.RELEASE, ScriptOutputType.INTEGER, lock, owner,
                keys.channel())).stream().filter(reply -> Long.valueOf(1L).equals(reply)).count();
    }

    @Override
    public boolean renew(String name, String owner, Duration lease) {
        LockKeys keys = LockKeys.of(keyPrefix, name);
        long startedAt = System.nanoTime();
        String[] lock = { keys.lock() };
        long renewed = allUninterruptibly(node -> node.eval(LockScript.RENEW, ScriptOutputType.INTEGER, lock, owner,
                Long.toString(lease.toMillis()))).stream().filter(reply -> Long.valueOf(1L).equals(reply)).count();
        return renewed >= quorum && validityLeft(startedAt, lease) > 0;
    }

    @Override
    public boolean release(String name, String owner) {
        return releaseEverywhere(LockKeys.of(keyPrefix, name), owner) >= quorum;
    }

    @Override
    public Optional<LockState> inspect(String name) {
        LockKeys keys = LockKeys.of(keyPrefix, name);
        String[] lock = { keys.lock() };
        List<Object> replies = allUninterruptibly(node -> node.eval(LockScript.INSPECT, ScriptOutputType.MULTI, lock));
        Map<String, List<LockState>> byOwner = new HashMap<>();
        for (Object reply : replies) {
            if (reply instanceof List<?> answer && !answer.isEmpty()) {
                LockState state = LockKeys.state(name, (String) answer.get(0), (Long) answer.get(1));
                byOwner.computeIfAbsent(state.owner(), key -> new ArrayList<>()).add(state);
            }
        }
        return byOwner.values().stream().filter(states -> states.size() >= quorum).findFirst().map(states -> {
            LockState first = states.get(0);
            long token = states.stream().mapToLong(LockState::fencingToken).max().orElseThrow();
            Duration remaining = states.stream().map(LockState::remainingLease).min(Duration::compareTo).orElseThrow();
            return new LockState(name, first.owner(), token, remaining);
        });
    }

    @Override
    public void close() {
        wakeups.close();
        nodes.forEach(RedisNode::close);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedlockBackend" + nodes + " quorum " + quorum;
    }
}

package io.flotilla.raft.sim;

import io.flotilla.raft.ClientRequest;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.ProposalRefusedException;
import io.flotilla.raft.Role;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.raft.StaleRequestException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/**
 * A client of the simulated KV: one operation at a time, each write tagged with the client's session and a
 * new sequence number. It retries an operation at the hinted leader or another node, with the same
 * sequence number, until it answers or the operation's deadline passes (then it is recorded as pending).
 *
 * <p>A {@linkplain #withoutSession sessionless} client sends its writes to followers when it can (so they travel
 * as proposals to the leader) without a session, and sends each write once: the only protection against applying
 * it twice is the protocol's own. A write refused with {@link ProposalRefusedException} ("nothing was applied") is
 * left out of the history, so if it was applied after all, a read sees a value nobody wrote and the history is not
 * linearizable; any other failure leaves it pending.
 */
final class SimClient {

    private static final long ATTEMPT_TIMEOUT = 300;
    private static final long OPERATION_TIMEOUT = 2_000;
    private static final List<String> KEYS = List.of("x", "y");

    private final class Call {
        final KvHistory.Kind kind;
        final String key;
        final String expected;
        final String value;
        final long sequence;
        final long invokedAt = cluster.scheduler.now();
        int attempts;

        Call(KvHistory.Kind kind, String key, String expected, String value, long sequence) {
            this.kind = kind;
            this.key = key;
            this.expected = expected;
            this.value = value;
            this.sequence = sequence;
        }
    }

    private final String id;
    private final boolean sessionless;
    private final SimCluster cluster;
    private final RandomGenerator random;
    private final KvHistory history;
    private long sequence;
    private Call current;
    private String target;
    private boolean stopped;
    private String lastValueSeen = "";

    /** Writes answered by a node that was a follower when the write was sent to it. */
    private long writesViaFollowers;
    /** Writes refused as not applied. */
    private long refusedWrites;

    SimClient(String id, SimCluster cluster, KvHistory history) {
        this(id, false, cluster, history);
    }

    private SimClient(String id, boolean sessionless, SimCluster cluster, KvHistory history) {
        this.id = id;
        this.sessionless = sessionless;
        this.cluster = cluster;
        this.random = cluster.random;
        this.history = history;
    }

    static SimClient withoutSession(String id, SimCluster cluster, KvHistory history) {
        return new SimClient(id, true, cluster, history);
    }

    long writesViaFollowers() {
        return writesViaFollowers;
    }

    long refusedWrites() {
        return refusedWrites;
    }

    void start() {
        cluster.scheduler.at(cluster.scheduler.now() + random.nextLong(50), null, this::nextOperation);
    }

    /** Stops issuing operations; one still running is recorded as pending. */
    void stop() {
        stopped = true;
        if (current != null) {
            finish(current, null);
        }
    }

    private void nextOperation() {
        if (stopped) {
            return;
        }
        String key = KEYS.get(random.nextInt(KEYS.size()));
        int choice = random.nextInt(10);
        if (choice < 4) {
            sequence++;
            current = new Call(KvHistory.Kind.PUT, key, null, id + "-" + sequence, sequence);
        } else if (choice < 7) {
            current = new Call(KvHistory.Kind.GET, key, null, null, 0);
        } else {
            sequence++;
            String expected = random.nextBoolean() ? lastValueSeen : "";
            current = new Call(KvHistory.Kind.CAS, key, expected, id + "-" + sequence, sequence);
        }
        attempt(current);
    }

    private void attempt(Call call) {
        if (call != current || stopped) {
            return;
        }
        if (cluster.scheduler.now() - call.invokedAt >= OPERATION_TIMEOUT) {
            finish(call, null);
            return;
        }
        int attempt = ++call.attempts;
        cluster.scheduler.at(cluster.scheduler.now() + ATTEMPT_TIMEOUT, null, () -> {
            if (call == current && call.attempts == attempt) {
                target = null;
                if (sentOnce(call)) {
                    finish(call, null);
                } else {
                    attempt(call);
                }
            }
        });
        List<SimCluster.SimNode> up = cluster.upNodes();
        SimCluster.SimNode node = target != null ? cluster.node(target) : null;
        if (sentOnce(call)) {
            List<SimCluster.SimNode> followers = up.stream()
                    .filter(candidate -> candidate.status().role() != Role.LEADER).toList();
            node = followers.isEmpty() ? null : followers.get(random.nextInt(followers.size()));
        }
        if (node == null || !node.up) {
            if (up.isEmpty()) {
                return;
            }
            node = up.get(random.nextInt(up.size()));
        }
        boolean viaFollower = node.status().role() == Role.FOLLOWER;
        CompletableFuture<String> reply = send(node, call);
        reply.whenComplete((output, error) -> cluster.scheduler.at(
                cluster.scheduler.now() + 1 + random.nextLong(5), null,
                () -> onReply(call, attempt, output, error, viaFollower)));
    }

    /** A sessionless write is sent once: repeating it could apply it twice. */
    private boolean sentOnce(Call call) {
        return sessionless && call.kind != KvHistory.Kind.GET;
    }

    private CompletableFuture<String> send(SimCluster.SimNode node, Call call) {
        return switch (call.kind) {
            case GET -> node.node.read(call.key.getBytes(StandardCharsets.UTF_8), ReadConsistency.LINEARIZABLE, 0)
                    .thenApply(result -> new String(result.result(), StandardCharsets.UTF_8));
            case PUT -> write(node, call, KvStateMachine.put(call.key, call.value));
            case CAS -> write(node, call, KvStateMachine.cas(call.key, call.expected, call.value));
        };
    }

    private CompletableFuture<String> write(SimCluster.SimNode node, Call call, byte[] command) {
        return (sessionless ? node.node.submit(command) : node.node.submit(new ClientRequest(id, call.sequence, command)))
                .thenApply(result -> new String(result.result(), StandardCharsets.UTF_8));
    }

    private void onReply(Call call, int attempt, String output, Throwable error, boolean viaFollower) {
        if (call != current) {
            return;
        }
        if (error == null) {
            if (viaFollower && call.kind != KvHistory.Kind.GET) {
                writesViaFollowers++;
            }
            finish(call, output);
            return;
        }
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (sentOnce(call)) {
            if (attempt != call.attempts) {
                return;
            }
            if (cause instanceof ProposalRefusedException) {
                refusedWrites++;
                forget(call);
            } else {
                finish(call, null);
            }
            return;
        }
        if (cause instanceof ProposalRefusedException refused) {
            cause = refused.reason();
        }
        if (cause instanceof StaleRequestException) {
            throw new AssertionError("client " + id + " got a stale-request answer for its current request",
                    cause);
        }
        if (attempt != call.attempts) {
            return;
        }
        if (cause instanceof NotLeaderException notLeader) {
            target = notLeader.leaderId();
            cluster.scheduler.at(cluster.scheduler.now() + 1, null, () -> attempt(call));
        } else {
            target = null;
            cluster.scheduler.at(cluster.scheduler.now() + 20 + random.nextLong(30), null, () -> attempt(call));
        }
    }

    /** Ends an operation that provably did not happen: it stays out of the history. */
    private void forget(Call call) {
        current = null;
        if (!stopped) {
            cluster.scheduler.at(cluster.scheduler.now() + random.nextLong(30), null, this::nextOperation);
        }
    }

    private void finish(Call call, String output) {
        long now = cluster.scheduler.now();
        history.record(new KvHistory.Operation(id, call.kind, call.key, call.expected, call.value, output,
                call.invokedAt, output == null ? -1 : now));
        if (output != null && call.kind == KvHistory.Kind.GET) {
            lastValueSeen = output;
        }
        current = null;
        if (!stopped) {
            cluster.scheduler.at(now + random.nextLong(30), null, this::nextOperation);
        }
    }
}

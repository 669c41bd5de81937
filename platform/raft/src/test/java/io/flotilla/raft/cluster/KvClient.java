package io.flotilla.raft.cluster;

import io.flotilla.raft.ClientRequest;
import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.testsupport.linearizability.HistoryRecorder;
import io.flotilla.testsupport.linearizability.KvInput;
import io.flotilla.testsupport.linearizability.KvModel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One client of a {@link LoopbackCluster}, as a service embedding Raft would be: it sends each operation to
 * the node it believes leads, follows {@link NotLeaderException} hints, backs off briefly on {@link
 * LeaderUnavailableException} or a closed node, and gives up on an operation after {@code operationTimeout}.
 * Writes carry a client session, so resending one to a new leader cannot apply it twice. Every operation is
 * recorded in the shared {@link HistoryRecorder}; one given up is recorded as timed out (it may still
 * take effect).
 */
final class KvClient {

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    private static final long BACKOFF_MILLIS = 25;

    private final int clientId;
    private final String sessionId;
    private final LoopbackCluster cluster;
    private final HistoryRecorder history;
    private final Duration operationTimeout;
    private long sequence;
    private String leaderHint;

    KvClient(int clientId, LoopbackCluster cluster, HistoryRecorder history, Duration operationTimeout) {
        this.clientId = clientId;
        this.sessionId = "client-" + clientId;
        this.cluster = cluster;
        this.history = history;
        this.operationTimeout = operationTimeout;
    }

    /** Whether the put was acknowledged (committed and applied). */
    boolean put(String key, String value) throws InterruptedException {
        KvInput.Put input = new KvInput.Put(key, value);
        return write(input, ClusterKvStateMachine.put(key, value), result -> KvModel.Ack.OK).isPresent();
    }

    /** Whether it swapped, or empty when the outcome is unknown. */
    Optional<Boolean> cas(String key, String expected, String value) throws InterruptedException {
        KvInput.Cas input = new KvInput.Cas(key, expected, value);
        return write(input, ClusterKvStateMachine.cas(key, expected, value), Boolean::parseBoolean);
    }

    /** A linearizable read at the leader: the value ("" for a missing key), or empty when it was given up. */
    Optional<String> get(String key) throws InterruptedException {
        HistoryRecorder.Handle handle = history.invoke(clientId, new KvInput.Get(key));
        long deadline = System.nanoTime() + operationTimeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<RaftNode> target = target();
            if (target.isEmpty()) {
                Thread.sleep(BACKOFF_MILLIS);
                continue;
            }
            Optional<byte[]> answer = attempt(() -> target.get()
                    .read(ClusterKvStateMachine.get(key), ReadConsistency.LINEARIZABLE, 0)
                    .thenApply(read -> read.result()), deadline);
            if (answer.isPresent()) {
                String value = new String(answer.get(), StandardCharsets.UTF_8);
                history.ok(handle, value.isEmpty() ? null : value);
                return Optional.of(value);
            }
        }
        history.timeout(handle);
        return Optional.empty();
    }

    private <T> Optional<T> write(KvInput input, byte[] command, Function<String, T> output)
            throws InterruptedException {
        ClientRequest request = new ClientRequest(sessionId, ++sequence, command);
        HistoryRecorder.Handle handle = history.invoke(clientId, input);
        long deadline = System.nanoTime() + operationTimeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<RaftNode> target = target();
            if (target.isEmpty()) {
                Thread.sleep(BACKOFF_MILLIS);
                continue;
            }
            Optional<byte[]> answer = attempt(() -> target.get().submit(request).thenApply(result -> result.result()),
                    deadline);
            if (answer.isPresent()) {
                T result = output.apply(new String(answer.get(), StandardCharsets.UTF_8));
                history.ok(handle, result);
                return Optional.of(result);
            }
        }
        history.timeout(handle);
        return Optional.empty();
    }

    /** The hinted leader if it is running, else whichever node claims to lead, else any running node. */
    private Optional<RaftNode> target() {
        Optional<RaftNode> hinted = leaderHint == null ? Optional.empty() : cluster.node(leaderHint);
        if (hinted.isPresent()) {
            return hinted;
        }
        leaderHint = null;
        Optional<RaftNode> leader = cluster.leader();
        if (leader.isPresent()) {
            return leader;
        }
        List<RaftNode> nodes = cluster.runningNodes();
        return nodes.isEmpty() ? Optional.empty() : Optional.of(nodes.get((int) (sequence % nodes.size())));
    }

    /** One try at one node: the answer, or empty after updating the hint and backing off as the failure asks. */
    private Optional<byte[]> attempt(Supplier<CompletableFuture<byte[]>> call, long deadline)
            throws InterruptedException {
        long wait = Math.min(ATTEMPT_TIMEOUT.toNanos(), deadline - System.nanoTime());
        try {
            return Optional.of(call.get().get(Math.max(wait, 0), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotLeaderException notLeader) {
                leaderHint = notLeader.leaderId();
                // A hint can be a step behind an election; a short pause keeps two stale nodes from ping-ponging.
                Thread.sleep(5);
                return Optional.empty();
            }
            if (!(e.getCause() instanceof LeaderUnavailableException)) {
                leaderHint = null;
            }
        } catch (TimeoutException | RejectedExecutionException e) {
            // The node did not answer in time or has been closed: ask the cluster who leads now.
            leaderHint = null;
        }
        Thread.sleep(BACKOFF_MILLIS);
        return Optional.empty();
    }
}

package io.flotilla.raft.cluster;

import io.flotilla.raft.RaftException;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.raft.ReadResult;
import io.flotilla.raft.storage.file.StorageOptions;
import io.flotilla.testsupport.linearizability.CheckResult;
import io.flotilla.testsupport.linearizability.HistoryRecorder;
import io.flotilla.testsupport.linearizability.KvModel;
import io.flotilla.testsupport.linearizability.LinearizabilityChecker;
import io.flotilla.testsupport.linearizability.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three production-wired nodes (file storage with fsync, Netty on loopback, one thread each) under
 * concurrent client load while members stop and restart from their data directories. What a unit test
 * of the pieces cannot show: that the real transport, storage and threads together keep the store
 * linearizable and lose no acknowledged write.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RealSocketClusterIntegrationTests {

    /** Liveness bound only (an election takes well under a second here); not a performance claim. */
    private static final Duration ELECTION_BOUND = Duration.ofSeconds(10);
    private static final Duration CATCH_UP_BOUND = Duration.ofSeconds(30);
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(5);
    private static final int CLIENTS = 4;

    @TempDir
    Path dataRoot;

    private LoopbackCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void leaderStoppedUnderLoadIsReplacedAndRejoinsWithoutLosingAcknowledgedWrites() throws Exception {
        // Snapshots every few hundred entries, so the restarted member may have to catch up from one.
        cluster = LoopbackCluster.create(dataRoot, 3, LoopbackCluster.OPTIONS.withSnapshotThreshold(300),
                StorageOptions.defaults());
        cluster.startAll();
        RaftNode firstLeader = cluster.awaitLeader(ELECTION_BOUND);

        HistoryRecorder history = new HistoryRecorder(System::nanoTime);
        MixedKvWorkload workload = new MixedKvWorkload(cluster, history, CLIENTS, OPERATION_TIMEOUT);
        workload.start();
        LoopbackCluster.awaitCondition(Duration.ofSeconds(30), "500 acknowledged writes before the failover",
                () -> workload.acknowledgedWrites() >= 500);

        String oldLeader = cluster.leader().orElse(firstLeader).id();
        long stoppedAt = System.nanoTime();
        cluster.stop(oldLeader);
        // A write sent after the stop and acknowledged was committed by a new leader.
        LoopbackCluster.awaitCondition(ELECTION_BOUND, () -> "a new leader committing a write sent after "
                        + oldLeader + " stopped (" + cluster.statuses() + ")",
                () -> workload.lastAcknowledgedWriteInvokedAt() > stoppedAt);
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
        assertThat(cluster.leader()).get().extracting(RaftNode::id).isNotEqualTo(oldLeader);

        long beforeRestart = workload.acknowledgedWrites();
        LoopbackCluster.awaitCondition(Duration.ofSeconds(30), "300 more writes on the two survivors",
                () -> workload.acknowledgedWrites() >= beforeRestart + 300);
        cluster.start(oldLeader);
        long commitIndexAtRestart = cluster.leader().orElseThrow().status().commitIndex();
        long afterRestart = workload.acknowledgedWrites();
        LoopbackCluster.awaitCondition(Duration.ofSeconds(30), "300 more writes after " + oldLeader + " rejoined",
                () -> workload.acknowledgedWrites() >= afterRestart + 300);
        workload.stop();

        List<Operation> operations = history.operations();
        CheckResult result = LinearizabilityChecker.check(new KvModel(), operations, Duration.ofSeconds(60));
        assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.OK);

        Settled settled = settledStates();
        Map<String, Map<String, String>> states = settled.states();
        assertThat(states).hasSize(3);
        assertThat(states.values()).as("every node holds the same state at index %d", settled.appliedIndex())
                .allSatisfy(state -> assertThat(state).isEqualTo(states.get(oldLeader)));
        Map<String, String> ledger = workload.acknowledgedLedger();
        assertThat(ledger).isNotEmpty();
        assertThat(states.values()).as("every acknowledged ledger write is on every node")
                .allSatisfy(state -> assertThat(state).containsAllEntriesOf(ledger));
        System.out.printf("failover: %d operations (%d with unknown outcome), %d acknowledged writes; a write sent"
                        + " after %s stopped was acknowledged %d ms later; %s restarted at commit index %d; final: %s%n",
                operations.size(), operations.stream().filter(Operation::outcomeUnknown).count(),
                workload.acknowledgedWrites(), oldLeader, failoverMillis, oldLeader, commitIndexAtRestart,
                cluster.statuses());
    }

    @Test
    void restartingEveryMemberFromDiskBringsTheStateBack() throws Exception {
        cluster = LoopbackCluster.create(dataRoot, 3, LoopbackCluster.OPTIONS.withSnapshotThreshold(100),
                StorageOptions.defaults());
        cluster.startAll();
        cluster.awaitLeader(ELECTION_BOUND);

        HistoryRecorder history = new HistoryRecorder(System::nanoTime);
        KvClient client = new KvClient(0, cluster, history, OPERATION_TIMEOUT);
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) {
            String key = "key-" + (i % 50);
            String value = "value-" + i;
            assertThat(client.put(key, value)).as("put %s=%s", key, value).isTrue();
            written.put(key, value);
        }
        Settled before = settledStates();
        assertThat(before.states().values()).hasSize(3).allSatisfy(state -> assertThat(state).isEqualTo(written));

        cluster.stopAll();
        cluster.startAll();
        cluster.awaitLeader(ELECTION_BOUND);
        for (Map.Entry<String, String> entry : written.entrySet()) {
            assertThat(client.get(entry.getKey())).as("linearizable read of %s", entry.getKey())
                    .contains(entry.getValue());
        }
        Settled after = settledStates();
        assertThat(after.appliedIndex()).isGreaterThan(before.appliedIndex());
        assertThat(after.states().values()).hasSize(3).allSatisfy(state -> assertThat(state).isEqualTo(written));
        CheckResult result = LinearizabilityChecker.check(new KvModel(), history.operations(), Duration.ofSeconds(60));
        assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.OK);
    }

    /** Every running node's whole map, read locally at one applied index that all of them have reached. */
    @Test
    void leaderWhoseDiskFillsStopsItselfAndNoAcknowledgedWriteIsLost() throws Exception {
        cluster = LoopbackCluster.create(dataRoot, 3, LoopbackCluster.OPTIONS, StorageOptions.defaults());
        Map<String, AtomicBoolean> diskFull = new LinkedHashMap<>();
        for (String id : cluster.ids()) {
            AtomicBoolean full = new AtomicBoolean();
            diskFull.put(id, full);
            cluster.start(id, storage -> new FillableDisk(storage, full));
        }
        RaftNode leader = cluster.awaitLeader(ELECTION_BOUND);
        HistoryRecorder history = new HistoryRecorder(System::nanoTime);
        KvClient client = new KvClient(0, cluster, history, OPERATION_TIMEOUT);
        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            assertThat(client.put("before-" + i, "v" + i)).isTrue();
            acknowledged.put("before-" + i, "v" + i);
        }

        diskFull.get(leader.id()).set(true);
        // The next write reaches the full disk first; the leader must stop rather than run on unsynced state.
        for (int i = 0; i < 100; i++) {
            if (client.put("after-" + i, "w" + i)) {
                acknowledged.put("after-" + i, "w" + i);
            }
        }
        assertThat(acknowledged).as("writes acknowledged by the new leader").hasSizeGreaterThan(150);
        assertThatThrownBy(() -> leader.submit(ClusterKvStateMachine.put("probe", "x")).get(5, TimeUnit.SECONDS))
                .as("the leader whose disk filled has stopped").hasCauseInstanceOf(RaftException.class);
        assertThat(cluster.leader()).get().extracting(RaftNode::id).isNotEqualTo(leader.id());

        cluster.stop(leader.id());
        diskFull.get(leader.id()).set(false);
        cluster.start(leader.id());
        Settled settled = settledStates();
        assertThat(settled.states()).hasSize(3);
        assertThat(settled.states().values()).as("every acknowledged write is on every node, the restarted one too")
                .allSatisfy(state -> assertThat(state).containsAllEntriesOf(acknowledged));
        CheckResult result = LinearizabilityChecker.check(new KvModel(), history.operations(), Duration.ofSeconds(60));
        assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.OK);
    }

    private record Settled(long appliedIndex, Map<String, Map<String, String>> states) {
    }

    /**
     * Reads every node's state once all have applied the leader's commit index. Entries can still be
     * committed after the clients stop (a write given up on, a new leader's NOOP after an election on a busy
     * machine), so the reads are repeated until all nodes answer at the same index.
     */
    private Settled settledStates() throws Exception {
        long deadline = System.nanoTime() + CATCH_UP_BOUND.toNanos();
        while (true) {
            long index = cluster.awaitAllApplied(CATCH_UP_BOUND);
            Map<String, Map<String, String>> states = new LinkedHashMap<>();
            boolean sameIndex = true;
            for (RaftNode node : cluster.runningNodes()) {
                ReadResult dump = node.read(ClusterKvStateMachine.dump(), ReadConsistency.STALE, index)
                        .get(10, TimeUnit.SECONDS);
                sameIndex &= dump.appliedIndex() == index;
                states.put(node.id(), parse(new String(dump.result(), StandardCharsets.UTF_8)));
            }
            if (sameIndex) {
                return new Settled(index, states);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the nodes never settled at one applied index: " + cluster.statuses());
            }
            Thread.sleep(50);
        }
    }

    private static Map<String, String> parse(String dump) {
        Map<String, String> state = new LinkedHashMap<>();
        List.of(dump.split("\n")).stream().filter(line -> !line.isEmpty()).forEach(line -> {
            int separator = line.indexOf('=');
            state.put(line.substring(0, separator), line.substring(separator + 1));
        });
        return state;
    }
}

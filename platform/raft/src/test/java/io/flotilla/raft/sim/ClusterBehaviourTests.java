package io.flotilla.raft.sim;

import io.flotilla.raft.ClientRequest;
import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.CommandResult;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.RaftException;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.raft.ReadResult;
import io.flotilla.raft.Role;
import io.flotilla.raft.StaleRequestException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole-cluster behaviours on the simulator, with a reliable network unless a test cuts links. */
class ClusterBehaviourTests {

    private static final RaftOptions OPTIONS = RaftOptions.defaults()
            .withElectionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
            .withHeartbeatInterval(Duration.ofMillis(40));

    private static SimCluster cluster(int size, RaftOptions options) {
        SimCluster cluster = new SimCluster(7, options);
        cluster.network.configure(0, 0, 1, 5);
        cluster.bootstrap(SimCluster.config(size));
        assertThat(cluster.runUntil(() -> cluster.leader().isPresent(), 5_000)).isTrue();
        cluster.runFor(300);
        return cluster;
    }

    private static <T> T await(SimCluster cluster, CompletableFuture<T> future) {
        assertThat(cluster.runUntil(future::isDone, 10_000)).as("completes within 10s").isTrue();
        return future.join();
    }

    private static CommandResult put(SimCluster cluster, String key, String value) {
        SimCluster.SimNode leader = cluster.leader().orElseThrow();
        return await(cluster, leader.node.submit(KvStateMachine.put(key, value)));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void rejoiningPartitionedNodeDoesNotDeposeLeader() {
        SimCluster cluster = cluster(3, OPTIONS);
        SimCluster.SimNode leader = cluster.leader().orElseThrow();
        long term = leader.status().term();
        String follower = cluster.ids().stream().filter(id -> !id.equals(leader.id)).findFirst().orElseThrow();

        cluster.network.isolate(follower, cluster.ids(), true, true);
        cluster.runFor(3_000);
        assertThat(cluster.node(follower).status().term()).as("pre-vote keeps the term").isEqualTo(term);
        cluster.network.healAll();
        cluster.runFor(2_000);

        assertThat(cluster.leader().orElseThrow().id).isEqualTo(leader.id);
        assertThat(leader.status().term()).isEqualTo(term);
    }

    @Test
    void leaderCutOffFromTheMajorityStepsDown() {
        SimCluster cluster = cluster(3, OPTIONS);
        SimCluster.SimNode leader = cluster.leader().orElseThrow();
        cluster.network.isolate(leader.id, cluster.ids(), true, true);
        cluster.runFor(1_000);
        assertThat(leader.status().role()).isNotEqualTo(Role.LEADER);
        assertThat(cluster.leader().orElseThrow().id).isNotEqualTo(leader.id);
    }

    @Test
    void laggingFollowerCatchesUpByInstallingASnapshot() {
        SimCluster cluster = cluster(3, OPTIONS.withSnapshotThreshold(10).withSnapshotChunkBytes(32));
        String leader = cluster.leader().orElseThrow().id;
        String lagging = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        cluster.crash(lagging);
        for (int i = 0; i < 40; i++) {
            put(cluster, "k" + i, "v" + i);
        }
        assertThat(cluster.node(leader).storage.memoryLog().snapshotIndex()).isGreaterThan(10);
        long commit = cluster.node(leader).status().commitIndex();

        cluster.restart(lagging);
        assertThat(cluster.runUntil(() -> cluster.node(lagging).status().appliedIndex() >= commit, 5_000)).isTrue();

        assertThat(cluster.node(lagging).storage.memoryLog().snapshotIndex()).isPositive();
        assertThat(cluster.node(lagging).stateMachine.contents())
                .isEqualTo(cluster.node(leader).stateMachine.contents()).containsEntry("k39", "v39");
    }

    @Test
    void withAGrowthFactorASnapshotWaitsUntilTheLogHasGrownByTheLastSnapshotsSize() {
        String big = "x".repeat(1_000);
        SimCluster grown = cluster(3, OPTIONS.withSnapshotThreshold(10).withSnapshotGrowthFactor(1.0));
        SimCluster counted = cluster(3, OPTIONS.withSnapshotThreshold(10));
        for (SimCluster cluster : java.util.List.of(grown, counted)) {
            for (int i = 0; i < 12; i++) {
                put(cluster, "big" + i, big);
            }
        }
        long grownFirst = snapshotIndex(grown);
        long countedFirst = snapshotIndex(counted);
        assertThat(grownFirst).as("the first snapshot has no predecessor to grow from").isGreaterThanOrEqualTo(10);
        assertThat(countedFirst).isGreaterThanOrEqualTo(10);

        // 30 small entries: far fewer bytes than the ~10 KB snapshot, though three times the entry threshold.
        for (SimCluster cluster : java.util.List.of(grown, counted)) {
            for (int i = 0; i < 30; i++) {
                put(cluster, "small", "v" + i);
            }
        }
        assertThat(snapshotIndex(counted)).isGreaterThan(countedFirst);
        assertThat(snapshotIndex(grown)).isEqualTo(grownFirst);

        // Another ~12 KB of entries: now the log has grown by more than the snapshot's size.
        for (int i = 0; i < 12; i++) {
            put(grown, "big" + i, big + i);
        }
        assertThat(snapshotIndex(grown)).isGreaterThan(grownFirst);
        SimCluster.SimNode leader = grown.leader().orElseThrow();
        assertThat(leader.stateMachine.contents()).containsEntry("small", "v29").containsEntry("big11", big + 11);
    }

    private static long snapshotIndex(SimCluster cluster) {
        return cluster.leader().orElseThrow().storage.memoryLog().snapshotIndex();
    }

    @Test
    void aRestartedFollowerIsCaughtUpOnlyOnceItHasAppliedWhatTheLeaderHadCommitted() {
        SimCluster cluster = cluster(3, OPTIONS);
        String leader = cluster.leader().orElseThrow().id;
        assertThat(cluster.node(leader).status().caughtUp()).as("a leader that has committed in its term").isTrue();
        String lagging = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        cluster.crash(lagging);
        for (int i = 0; i < 40; i++) {
            put(cluster, "k" + i, "v" + i);
        }
        long commit = cluster.node(leader).status().commitIndex();

        cluster.restart(lagging);
        assertThat(cluster.node(lagging).status().caughtUp()).as("no leader known yet").isFalse();
        boolean[] caughtUpTooEarly = {false};
        assertThat(cluster.runUntil(() -> {
            var status = cluster.node(lagging).status();
            caughtUpTooEarly[0] |= status.caughtUp() && status.appliedIndex() < commit;
            return status.caughtUp();
        }, 5_000)).isTrue();
        assertThat(caughtUpTooEarly[0]).as("caught up before applying the leader's commit index").isFalse();
        assertThat(cluster.node(lagging).stateMachine.contents()).containsEntry("k39", "v39");
    }

    @Test
    void aFollowerCutOffFromItsLeaderIsNoLongerCaughtUp() {
        SimCluster cluster = cluster(3, OPTIONS);
        String leader = cluster.leader().orElseThrow().id;
        String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        assertThat(cluster.runUntil(() -> cluster.node(follower).status().caughtUp(), 2_000)).isTrue();

        cluster.network.isolate(follower, cluster.ids(), true, true);
        assertThat(cluster.runUntil(() -> !cluster.node(follower).status().caughtUp(), 3_000)).isTrue();
    }

    @Test
    void membersAreAddedAndRemovedOneAtATime() {
        SimCluster cluster = cluster(3, OPTIONS);
        put(cluster, "before", "1");
        cluster.add("n4", SimCluster.config(3));
        await(cluster, cluster.leader().orElseThrow().node.addMember(SimCluster.member("n4")));
        put(cluster, "after-add", "2");
        assertThat(cluster.runUntil(() -> cluster.node("n4").stateMachine.contents().containsKey("after-add"),
                5_000)).isTrue();

        String leader = cluster.leader().orElseThrow().id;
        await(cluster, cluster.leader().orElseThrow().node.removeMember(leader));
        assertThat(cluster.runUntil(() -> cluster.leader().isPresent() && !cluster.leader().get().id.equals(leader),
                5_000)).isTrue();
        ClusterConfig config = cluster.leader().orElseThrow().status().config();
        assertThat(config.members()).hasSize(3);
        assertThat(config.contains(leader)).isFalse();
        assertThat(config.contains("n4")).isTrue();

        cluster.crash(cluster.ids().stream().filter(id -> !id.equals(leader)
                && !id.equals(cluster.leader().orElseThrow().id)).findFirst().orElseThrow());
        put(cluster, "after-remove", "3");
    }

    @Test
    void leadershipIsTransferredToTheChosenFollower() {
        SimCluster cluster = cluster(5, OPTIONS);
        put(cluster, "x", "1");
        SimCluster.SimNode leader = cluster.leader().orElseThrow();
        String target = cluster.ids().stream().filter(id -> !id.equals(leader.id)).findFirst().orElseThrow();

        await(cluster, leader.node.transferLeadership(target));
        assertThat(cluster.runUntil(() -> cluster.leader().map(l -> l.id.equals(target)).orElse(false), 2_000))
                .isTrue();
        put(cluster, "x", "2");
    }

    @Test
    void linearizableReadAtAPartitionedOldLeaderNeverReturnsStaleData() {
        SimCluster cluster = cluster(3, OPTIONS);
        put(cluster, "x", "old");
        SimCluster.SimNode oldLeader = cluster.leader().orElseThrow();
        cluster.network.isolate(oldLeader.id, cluster.ids(), true, true);
        CompletableFuture<ReadResult> read = oldLeader.node.read(bytes("x"), ReadConsistency.LINEARIZABLE, 0);

        assertThat(cluster.runUntil(() -> cluster.leader().map(l -> l != oldLeader).orElse(false), 5_000)).isTrue();
        put(cluster, "x", "new");
        cluster.runFor(1_000);

        assertThat(read).isCompletedExceptionally();
        assertThat(read.exceptionNow()).isInstanceOf(RaftException.class);
        ReadResult fresh = await(cluster, cluster.leader().orElseThrow().node.read(bytes("x"),
                ReadConsistency.LINEARIZABLE, 0));
        assertThat(text(fresh.result())).isEqualTo("new");
    }

    @Test
    void followerServesStaleReadsAndWaitsForAMinimumIndex() {
        SimCluster cluster = cluster(3, OPTIONS);
        SimCluster.SimNode leader = cluster.leader().orElseThrow();
        SimCluster.SimNode follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
        CompletableFuture<ReadResult> linearizable = follower.node.read(bytes("x"), ReadConsistency.LINEARIZABLE, 0);
        cluster.runFor(10);
        assertThat(linearizable.exceptionNow()).isInstanceOf(NotLeaderException.class);
        assertThat(((NotLeaderException) linearizable.exceptionNow()).leaderId()).isEqualTo(leader.id);

        CommandResult written = put(cluster, "x", "1");
        ReadResult read = await(cluster, follower.node.read(bytes("x"), ReadConsistency.STALE, written.index()));
        assertThat(text(read.result())).isEqualTo("1");
        assertThat(read.appliedIndex()).isGreaterThanOrEqualTo(written.index());
    }

    @Test
    void retriedSessionCommandIsAppliedOnceAndAnswersTheSame() {
        SimCluster cluster = cluster(3, OPTIONS);
        SimCluster.SimNode leader = cluster.leader().orElseThrow();
        ClientRequest first = new ClientRequest("c1", 1, KvStateMachine.cas("x", "", "a"));
        CompletableFuture<CommandResult> original = leader.node.submit(first);
        CompletableFuture<CommandResult> retry = leader.node.submit(first);
        CommandResult originalResult = await(cluster, original);
        CommandResult retryResult = await(cluster, retry);

        assertThat(text(originalResult.result())).isEqualTo("true");
        assertThat(text(retryResult.result())).as("cached answer, not a second CAS").isEqualTo("true");
        assertThat(leader.stateMachine.contents()).containsEntry("x", "a");

        await(cluster, leader.node.submit(new ClientRequest("c1", 2, KvStateMachine.put("x", "b"))));
        CompletableFuture<CommandResult> late = leader.node.submit(first);
        assertThat(cluster.runUntil(late::isDone, 5_000)).isTrue();
        assertThat(late.exceptionNow()).isInstanceOf(StaleRequestException.class);
        assertThat(leader.stateMachine.contents()).containsEntry("x", "b");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

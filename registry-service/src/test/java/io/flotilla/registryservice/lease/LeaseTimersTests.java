package io.flotilla.registryservice.lease;

import io.flotilla.registryservice.state.Instance;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the timers with a hand-moved clock: no sleeping. */
class LeaseTimersTests {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<List<Long>> proposals = new ArrayList<>();
    private final List<CompletableFuture<Void>> pending = new ArrayList<>();
    private final LeaseTimers timers = new LeaseTimers(now::get, ids -> {
        proposals.add(ids);
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        pending.add(outcome);
        return outcome;
    });

    @Test
    void leaseExpiresAtItsTtlAndNotBefore() {
        timers.onBecameLeader(1);
        timers.leaseGranted(7, 5_000);
        now.addAndGet(4_999);
        assertThat(timers.expireDue()).isZero();
        now.addAndGet(1);
        assertThat(timers.expireDue()).isEqualTo(1);
        assertThat(proposals).containsExactly(List.of(7L));
    }

    @Test
    void keepAliveMovesTheDeadline() {
        timers.onBecameLeader(1);
        timers.leaseGranted(7, 5_000);
        now.addAndGet(4_000);
        assertThat(timers.keepAlive(7)).isEqualTo(LeaseTimers.KeepAlive.RENEWED);
        now.addAndGet(4_000);
        assertThat(timers.expireDue()).isZero();
        assertThat(timers.remainingMillis(7)).hasValue(1_000);
        now.addAndGet(1_000);
        assertThat(timers.expireDue()).isEqualTo(1);
    }

    @Test
    void aNewLeaderRestartsEveryTtl() {
        timers.leaseGranted(7, 5_000);
        timers.leaseGranted(8, 10_000);
        now.addAndGet(60_000);
        assertThat(timers.expireDue()).as("a follower never expires").isZero();
        timers.onBecameLeader(2);
        now.addAndGet(4_999);
        assertThat(timers.expireDue()).isZero();
        now.addAndGet(1);
        assertThat(timers.expireDue()).isEqualTo(1);
        now.addAndGet(5_000);
        timers.expireDue();
        assertThat(proposals).containsExactly(List.of(7L), List.of(8L));
    }

    @Test
    void onlyTheLeaderKeepsLeasesAlive() {
        timers.leaseGranted(7, 5_000);
        assertThat(timers.keepAlive(7)).isEqualTo(LeaseTimers.KeepAlive.NOT_LEADER);
        timers.onBecameLeader(1);
        assertThat(timers.keepAlive(99)).isEqualTo(LeaseTimers.KeepAlive.UNKNOWN);
        timers.onLostLeadership(1);
        now.addAndGet(10_000);
        assertThat(timers.expireDue()).isZero();
        assertThat(timers.keepAlive(7)).isEqualTo(LeaseTimers.KeepAlive.NOT_LEADER);
    }

    @Test
    void anExpiryInFlightIsProposedOnceAndAFailedOneAgain() {
        timers.onBecameLeader(1);
        timers.leaseGranted(7, 1_000);
        now.addAndGet(1_000);
        assertThat(timers.expireDue()).isEqualTo(1);
        assertThat(timers.expireDue()).as("still in flight").isZero();
        pending.getFirst().completeExceptionally(new IllegalStateException("lost leadership"));
        assertThat(timers.expireDue()).isEqualTo(1);
        pending.get(1).complete(null);
        timers.leaseRemoved(7);
        assertThat(timers.expireDue()).isZero();
        assertThat(timers.size()).isZero();
    }

    @Test
    void instancesAreFoundByTheirLeaseAndASnapshotStartsOver() {
        timers.leaseGranted(7, 5_000);
        timers.instanceRegistered(new Instance("orders", "o1", "h", 1, false, Map.of(), "", 1, 7, 3, 3));
        assertThat(timers.leaseOf("orders", "o1")).hasValue(7);
        timers.instanceRemoved("orders", "o1");
        assertThat(timers.leaseOf("orders", "o1")).isEmpty();

        timers.restored(Map.of(9L, 2_000L),
                List.of(new Instance("orders", "o2", "h", 1, false, Map.of(), "", 1, 9, 4, 4)));
        assertThat(timers.ttlMillis(7)).isEmpty();
        assertThat(timers.leaseOf("orders", "o2")).hasValue(9);
        timers.onBecameLeader(3);
        now.addAndGet(2_000);
        assertThat(timers.expireDue()).isEqualTo(1);
        assertThat(proposals).containsExactly(List.of(9L));
    }
}

package io.flotilla.id.core;

import io.flotilla.id.core.SlotTable.TableLease;
import io.flotilla.id.metrics.IdGeneratorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A generator that loses its worker lease refuses at once, leases a slot again in the background with back-off, and
 * then issues ids that are unique and increasing across the switch. Time and the attempts run on a virtual clock.
 */
class LeaseLossRecoveryTests {

    private static final IdLayout LAYOUT = IdLayout.standard(Instant.parse("2025-01-01T00:00:00Z"));

    private static final long START = Instant.parse("2026-12-06T09:00:00Z").toEpochMilli();

    private final ManualClock clock = new ManualClock(START);

    private final VirtualScheduler scheduler = new VirtualScheduler(clock);

    private final InMemoryTimestampStore store = new InMemoryTimestampStore();

    private final SlotTable table = new SlotTable(1);

    private SnowflakeIdGenerator generator(Duration initialBackoff, Duration maxBackoff) {
        return SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(store)
            .reservationExecutor(Runnable::run)
            .workerIdProvider(table)
            .retryScheduler(scheduler)
            .leaseRetryBackoff(initialBackoff, maxBackoff)
            .build();
    }

    private SnowflakeIdGenerator generator() {
        return generator(Duration.ofMillis(500), Duration.ofSeconds(4));
    }

    private static void issueFewPerMillisecond(SnowflakeIdGenerator generator, ManualClock clock, List<Long> ids) {
        for (int millisecond = 0; millisecond < 5; millisecond++) {
            ids.add(generator.next());
            for (long id : generator.next(3)) {
                ids.add(id);
            }
            clock.advance(1);
        }
    }

    private static void assertUniqueAndIncreasing(List<Long> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).as("id #%d", i).isGreaterThan(ids.get(i - 1));
        }
    }

    private int workerOf(long id) {
        return LAYOUT.decompose(id).workerId();
    }

    @Test
    void lostLeaseRefusesAtOnceThenAnotherSlotIssuesAgain() {
        SnowflakeIdGenerator generator = generator();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new IdGeneratorMetrics(generator).bindTo(meters);
        List<Long> ids = new ArrayList<>();
        issueFewPerMillisecond(generator, clock, ids);
        TableLease first = table.granted().get(0);
        assertThat(first.workerId()).isEqualTo(new WorkerId(1, 0));

        // A keep-alive went unanswered: the lease is given up, and the revoke does not get through either.
        table.reachable(false);
        first.lose();
        assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(generator::next)
            .withMessageStartingWith("Lease on worker slot 1-0 was lost; no ids are issued until a worker slot is "
                    + "leased again")
            .satisfies((ex) -> assertThat(ex.retryAfter()).isBetween(Duration.ofMillis(250), Duration.ofMillis(500)));
        assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(() -> generator.next(4));
        assertThat(generator.stats().leaseLosses()).isEqualTo(1);
        assertThat(generator.stats().leaseHeld()).isFalse();
        assertThat(meters.get("flotilla.id.lease.held").gauge().value()).isZero();
        scheduler.runDue();
        assertThat(first.closed()).as("the lost lease is released").isTrue();
        assertThat(table.holderOf(0)).as("its key stays until the registry expires it").isSameAs(first);

        table.reachable(true);
        scheduler.advanceToNext();
        assertThat(generator.workerId()).as("slot 0 may still be someone's: the next free one")
            .isEqualTo(new WorkerId(1, 1));
        List<Long> after = new ArrayList<>();
        issueFewPerMillisecond(generator, clock, after);
        assertThat(after).allSatisfy((id) -> assertThat(workerOf(id)).isEqualTo(1));
        ids.addAll(after);
        assertUniqueAndIncreasing(ids);

        IdGeneratorStats stats = generator.stats();
        assertThat(stats.issued()).isEqualTo(ids.size());
        assertThat(stats.leasesRegained()).isEqualTo(1);
        assertThat(stats.failedLeaseAttempts()).isZero();
        assertThat(stats.leaseHeld()).isTrue();
        assertThat(meters.get("flotilla.id.lease.losses").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("flotilla.id.lease.regained").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("flotilla.id.lease.held").gauge().value()).isEqualTo(1);
        assertThat(meters.get("flotilla.id.issued").functionCounter().count()).isEqualTo(ids.size());
    }

    @Test
    void slotLeasedAgainIssuesAboveItsEarlierIdsAndMark() {
        SnowflakeIdGenerator generator = generator();
        List<Long> ids = new ArrayList<>();
        issueFewPerMillisecond(generator, clock, ids);
        long mark = store.load(new WorkerId(1, 0)).getAsLong();

        table.granted().get(0).lose();
        scheduler.runDue();
        assertThat(table.holderOf(0)).as("revoked: the slot is free again").isNull();
        scheduler.advanceToNext();
        assertThat(generator.workerId()).isEqualTo(new WorkerId(1, 0));

        long id = generator.next();
        assertThat(LAYOUT.decompose(id).epochMillis()).as("after the mark the earlier issuer reserved")
            .isGreaterThan(mark);
        ids.add(id);
        issueFewPerMillisecond(generator, clock, ids);
        assertUniqueAndIncreasing(ids);
    }

    @Test
    void idsKeepIncreasingWhenTheNewSlotIsLowerAndTheClockIsBehind() {
        table.takeFor("another node", 0);
        // 2 ms, not 1: a 1 ms back-off is jittered to 0 or 1 ms, and at 0 the first attempt runs with the release,
        // leaving nothing for the second step below. 1-2 ms keeps the clock behind the last id (stepped back 4 ms).
        SnowflakeIdGenerator generator = generator(Duration.ofMillis(2), Duration.ofMillis(2));
        List<Long> ids = new ArrayList<>();
        issueFewPerMillisecond(generator, clock, ids);
        // A step back the generator waits out: it keeps issuing in its last millisecond.
        clock.set(clock.millis() - 4);
        ids.add(generator.next());

        table.granted().get(0).lose();
        table.drop(0);
        scheduler.advanceToNext();
        scheduler.advanceToNext();
        assertThat(generator.workerId()).isEqualTo(new WorkerId(1, 0));
        ids.add(generator.next());
        assertThat(workerOf(ids.getLast())).isZero();
        assertUniqueAndIncreasing(ids);
    }

    @Test
    void callUnderWayWhenTheLeaseIsLostIssuesNothing() {
        AtomicBoolean loseOnNextWrite = new AtomicBoolean();
        TimestampStore losingWhileWriting = new TimestampStore() {
            @Override
            public OptionalLong load(WorkerId workerId) {
                return store.load(workerId);
            }

            @Override
            public void store(WorkerId workerId, long epochMillis) {
                store.store(workerId, epochMillis);
                if (loseOnNextWrite.getAndSet(false)) {
                    table.granted().get(0).lose();
                }
            }
        };
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(losingWhileWriting)
            .reservationExecutor(Runnable::run)
            .workerIdProvider(table)
            .retryScheduler(scheduler)
            .build();
        generator.next();
        // Past the reserved mark the caller writes it before its compare-and-set; the lease is lost meanwhile.
        clock.advance(5_000);
        loseOnNextWrite.set(true);
        assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(generator::next);
        assertThat(generator.stats().issued()).isEqualTo(1);
    }

    @Test
    void attemptsBackOffWhileTheRegistryIsUnreachable() {
        SnowflakeIdGenerator generator = generator();
        table.reachable(false);
        table.granted().get(0).lose();
        scheduler.runDue();
        for (int failed = 1; failed <= 6; failed++) {
            scheduler.advanceToNext();
            assertThat(generator.stats().failedLeaseAttempts()).isEqualTo(failed);
            Duration untilNext = scheduler.delays().getLast();
            assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(generator::next)
                .satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(untilNext));
        }
        // The attempts' delays: 500 ms doubling up to the 4 s cap, each drawn from the upper half of its ceiling.
        List<Duration> attemptDelays = scheduler.delays().stream().filter((delay) -> !delay.isZero()).toList();
        long[] ceilings = { 500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000 };
        assertThat(attemptDelays).hasSize(ceilings.length);
        for (int i = 0; i < ceilings.length; i++) {
            assertThat(attemptDelays.get(i).toMillis()).as("delay before attempt %d", i + 1)
                .isBetween(ceilings[i] / 2, ceilings[i]);
        }
        assertThat(table.granted()).hasSize(1);

        table.reachable(true);
        scheduler.advanceToNext();
        assertThat(generator.stats().leaseHeld()).isTrue();
        assertThat(generator.stats().leasesRegained()).isEqualTo(1);
        assertThat(workerOf(generator.next())).isEqualTo(1);
    }

    @Test
    void callerThatFindsTheLeaseExpiredStartsTheReLease() {
        SnowflakeIdGenerator generator = generator();
        long before = generator.next();
        TableLease first = table.granted().get(0);
        // The lease's time ran out with no keep-alive answered; nothing told the generator yet.
        first.expireSilently();
        assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(generator::next);
        scheduler.runDue();
        scheduler.advanceToNext();
        long after = generator.next();
        assertThat(after).isGreaterThan(before);
        assertThat(generator.stats().leaseLosses()).isEqualTo(1);
    }

    @Test
    void closedGeneratorStopsLeasing() {
        SnowflakeIdGenerator generator = generator();
        table.granted().get(0).lose();
        generator.close();
        scheduler.runDue();
        scheduler.advanceToNext();
        assertThat(table.granted()).hasSize(1);
        assertThat(scheduler.pending()).isZero();
        assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(generator::next)
            .satisfies((ex) -> assertThat(ex.retryAfter()).isNull());
    }

    @Test
    void leaseGrantedWhileClosingIsReleased() {
        AtomicReference<SnowflakeIdGenerator> generator = new AtomicReference<>();
        AtomicInteger acquisitions = new AtomicInteger();
        WorkerIdProvider closingDuringTheSecond = (layout) -> {
            if (acquisitions.incrementAndGet() == 2) {
                generator.get().close();
            }
            return table.acquire(layout);
        };
        generator.set(SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(store)
            .workerIdProvider(closingDuringTheSecond)
            .retryScheduler(scheduler)
            .build());
        table.granted().get(0).lose();
        scheduler.runDue();
        scheduler.advanceToNext();
        assertThat(table.granted()).hasSize(2);
        assertThat(table.granted().get(1).closed()).as("granted after close: released at once").isTrue();
        assertThat(table.holderOf(0)).isNull();
        assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(generator.get()::next);
    }
}

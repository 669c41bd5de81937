package io.flotilla.id.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SnowflakeIdGeneratorTests {

    private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    private static final IdLayout LAYOUT = IdLayout.standard(EPOCH);

    private static final long START = Instant.parse("2026-11-23T09:00:00Z").toEpochMilli();

    private final ManualClock clock = new ManualClock(START);

    private final InMemoryTimestampStore store = new InMemoryTimestampStore();

    private SnowflakeIdGenerator generator(int datacenterId, int workerId) {
        return SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(store)
            .workerIdProvider(new StaticWorkerIdProvider(datacenterId, workerId))
            .build();
    }

    private static long timestampOf(SnowflakeIdGenerator generator, long id) {
        return generator.layout().decompose(id).epochMillis();
    }

    private static void assertStrictlyIncreasing(long[] ids) {
        for (int i = 1; i < ids.length; i++) {
            assertThat(ids[i]).as("id #%d", i).isGreaterThan(ids[i - 1]);
        }
    }

    @Test
    void idsCarryClockWorkerAndSequence() {
        SnowflakeIdGenerator generator = generator(3, 17);
        long first = generator.next();
        long second = generator.next();

        IdParts parts = generator.parse(second);
        assertThat(parts.epochMillis()).isEqualTo(START);
        assertThat(parts.timestamp()).isEqualTo(Instant.ofEpochMilli(START));
        assertThat(parts.datacenterId()).isEqualTo(3);
        assertThat(parts.workerId()).isEqualTo(17);
        assertThat(parts.sequence()).isEqualTo(1);
        assertThat(second).isEqualTo(first + 1).isPositive();
    }

    @Test
    void sequenceExhaustionWaitsForNextMillisecond() {
        SnowflakeIdGenerator generator = generator(0, 1);
        long[] sameMillisecond = generator.next(4096);
        assertThat(timestampOf(generator, sameMillisecond[4095])).isEqualTo(START);
        assertThat(clock.pausedMillis()).isZero();

        long next = generator.next();

        IdParts parts = generator.parse(next);
        assertThat(parts.epochMillis()).isEqualTo(START + 1);
        assertThat(parts.sequence()).isZero();
        assertThat(clock.pausedMillis()).isEqualTo(1);
        assertThat(generator.stats().sequenceExhaustedWaits()).isEqualTo(1);
    }

    @Test
    void revisitingEarlierMillisecondAfterRollbackNeverRepeatsSequence() {
        SnowflakeIdGenerator generator = generator(0, 1);
        Set<Long> issued = new HashSet<>();
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = generator.next();
            issued.add(last);
        }
        clock.advance(3);
        for (int i = 0; i < 5; i++) {
            last = generator.next();
            issued.add(last);
        }
        IdParts beforeRollback = generator.parse(last);

        clock.set(START + 1);
        for (int i = 0; i < 100; i++) {
            long id = generator.next();
            assertThat(id).isGreaterThan(last);
            assertThat(issued.add(id)).as("id %d issued twice", id).isTrue();
            last = id;
        }

        IdParts afterRollback = generator.parse(last);
        assertThat(afterRollback.epochMillis()).isEqualTo(beforeRollback.epochMillis());
        assertThat(afterRollback.sequence()).isEqualTo(beforeRollback.sequence() + 100);
        assertThat(generator.stats().clockRollbacks()).isEqualTo(1);
        assertThat(generator.stats().refusals()).isZero();
    }

    @Test
    void rollbackWithinBoundIsWaitedOut() {
        SnowflakeIdGenerator generator = generator(0, 1);
        clock.advance(4);
        long[] exhausted = generator.next(4096);
        long lastIssuedMillis = timestampOf(generator, exhausted[4095]);

        clock.set(START);
        long next = generator.next();

        assertThat(next).isGreaterThan(exhausted[4095]);
        assertThat(timestampOf(generator, next)).isEqualTo(lastIssuedMillis + 1);
        assertThat(clock.pausedMillis()).isEqualTo(5);
        assertThat(generator.stats().clockBehindWaits()).isEqualTo(1);
        assertThat(generator.stats().refusals()).isZero();
    }

    @Test
    void rollbackBeyondBoundIsRefusedWithoutIssuing() {
        SnowflakeIdGenerator generator = generator(0, 1);
        clock.advance(100);
        long last = generator.next();

        clock.set(START);
        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(generator::next)
            .withMessageContaining("Clock moved backwards by 100 ms, more than the 5 ms")
            .satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofMillis(101)));
        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(() -> generator.next(10));
        assertThat(generator.stats().issued()).isEqualTo(1);
        assertThat(generator.stats().refusals()).isEqualTo(2);

        clock.set(START + 100);
        assertThat(generator.next()).isEqualTo(last + 1);
    }

    @Test
    void batchesAreIncreasingAcrossMillisecondsAndCalls() {
        SnowflakeIdGenerator generator = generator(1, 2);
        long single = generator.next();
        long[] batch = generator.next(10_000);
        long after = generator.next();

        assertStrictlyIncreasing(batch);
        assertThat(batch[0]).isGreaterThan(single);
        assertThat(after).isGreaterThan(batch[9_999]);
        assertThat(timestampOf(generator, batch[9_999])).isEqualTo(START + 2);
        assertThat(generator.stats().issued()).isEqualTo(10_002);
    }

    @Test
    void batchCountMustBePositive() {
        SnowflakeIdGenerator generator = generator(0, 0);
        assertThatIllegalArgumentException().isThrownBy(() -> generator.next(0))
            .withMessage("count must be at least 1, got 0");
        assertThat(generator.stats().issued()).isZero();
    }

    @Test
    void workerIdWiderThanItsFieldFailsFast() {
        assertThatIllegalArgumentException().isThrownBy(() -> generator(0, 32))
            .withMessage("Worker id 32 does not fit the 5-bit worker id field (allowed 0..31)");
        assertThatIllegalArgumentException().isThrownBy(() -> generator(40, 0))
            .withMessage("Datacenter id 40 does not fit the 5-bit datacenter id field (allowed 0..31)");
    }

    @Test
    void exhaustedTimestampFieldFailsFastAtStartUpWithTheDate() {
        // 30 bits of milliseconds last 12.4 days: uid-generator's kind of layout that ran out in production.
        IdLayout shortLived = new IdLayout(START - Duration.ofDays(30).toMillis(), 30, 5, 5, 23);
        assertThatExceptionOfType(TimestampOverflowException.class)
            .isThrownBy(() -> SnowflakeIdGenerator.builder(shortLived).clock(clock).timestampStore(store).build())
            .withMessageContaining("Snowflake layout ran out on " + shortLived.exhaustedAt())
            .withMessageContaining("30-bit millisecond timestamp");
        assertThat(store.writes()).isZero();
    }

    @Test
    void exhaustedTimestampFieldIsRefusedAtIssueTime() {
        IdLayout shortLived = new IdLayout(START - Duration.ofDays(12).toMillis(), 30, 5, 5, 23);
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(shortLived)
            .clock(clock)
            .timestampStore(store)
            .build();
        long last = generator.next();
        assertThat(last).isPositive();

        clock.set(shortLived.exhaustedAt().toEpochMilli());
        assertThatExceptionOfType(TimestampOverflowException.class).isThrownBy(generator::next)
            .withMessageContaining("ran out on " + shortLived.exhaustedAt());
        assertThat(generator.stats().issued()).isEqualTo(1);
    }

    @Test
    void epochInTheFutureFailsFast() {
        IdLayout future = IdLayout.standard(Instant.ofEpochMilli(START).plusSeconds(60));
        assertThatExceptionOfType(TimestampOverflowException.class)
            .isThrownBy(() -> SnowflakeIdGenerator.builder(future).clock(clock).timestampStore(store).build())
            .withMessageContaining("before the snowflake epoch");
    }

    @Test
    void lostLeaseStopsIssuing() {
        AtomicBoolean held = new AtomicBoolean(true);
        WorkerIdProvider leased = (layout) -> new WorkerLease() {
            @Override
            public WorkerId workerId() {
                return new WorkerId(1, 7);
            }

            @Override
            public boolean isHeld() {
                return held.get();
            }
        };
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(store)
            .workerIdProvider(leased)
            .build();
        generator.next();

        held.set(false);
        assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(generator::next)
            .withMessageStartingWith("Lease on worker slot 1-7 was lost; no ids are issued until a worker slot is "
                    + "leased again");
        assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(() -> generator.next(5));
        assertThat(generator.stats().issued()).isEqualTo(1);
    }

    @Test
    void parseRejectsNegativeAndFutureIds() {
        SnowflakeIdGenerator generator = generator(0, 0);
        assertThatExceptionOfType(InvalidIdException.class).isThrownBy(() -> generator.parse(-5))
            .withMessageContaining("negative");
        long future = LAYOUT.compose(START - EPOCH.toEpochMilli() + 60_000, 0, 0, 0);
        assertThatExceptionOfType(InvalidIdException.class).isThrownBy(() -> generator.parse(future))
            .withMessageContaining("in the future");
    }

    @Test
    void highWaterMarkIsReservedInCoarseStepsNotPerId() {
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(store)
            .reservationExecutor(Runnable::run)
            .build();
        for (int millisecond = 0; millisecond < 10_000; millisecond++) {
            generator.next(3);
            clock.advance(1);
        }
        // 10 s of issuing with the default 1 s reserve step, extended every half step: about 20 writes, not 30,000.
        assertThat(store.writes()).isBetween(19, 21);
        assertThat(store.load(new WorkerId(0, 0)).getAsLong()).isGreaterThanOrEqualTo(clock.millis() - 1);
    }

    @Test
    void reservationIsExtendedInBackgroundAndWaitedForOnlyWhenIssuingReachesIt() {
        List<Runnable> background = new ArrayList<>();
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(store)
            .reservationExecutor(background::add)
            .build();
        WorkerId slot = new WorkerId(0, 0);
        generator.next();
        assertThat(store.writes()).isEqualTo(1);
        assertThat(store.load(slot).getAsLong()).isEqualTo(START + 1_000);

        clock.advance(600);
        generator.next();
        generator.next();
        assertThat(store.writes()).as("the caller did not write").isEqualTo(1);
        assertThat(background).as("one extension scheduled").hasSize(1);

        background.remove(0).run();
        assertThat(store.load(slot).getAsLong()).isEqualTo(START + 1_600);

        clock.advance(1_500);
        generator.next();
        assertThat(store.writes()).as("past the mark the caller waits for the write").isEqualTo(3);
        assertThat(store.load(slot).getAsLong()).isEqualTo(START + 3_100);
    }

    @Test
    void restartAfterClockSetBackNeverIssuesAtOrBeforeEarlierIds(@TempDir Path stateDir) {
        FileTimestampStore fileStore = new FileTimestampStore(stateDir);
        SnowflakeIdGenerator first = SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(fileStore)
            .build();
        clock.advance(50);
        long[] before = first.next(1000);
        first.close();
        long beforeMax = Arrays.stream(before).max().orElseThrow();
        assertThat(fileStore.file(new WorkerId(0, 0))).exists();

        // The host comes back with its clock set back a minute: far more than the generator waits out.
        clock.set(START - 60_000);
        SnowflakeIdGenerator restarted = SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(new FileTimestampStore(stateDir))
            .build();
        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(restarted::next);

        clock.set(START + 50);
        assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(restarted::next);

        clock.set(START + 50 + 1_001);
        long[] after = restarted.next(1000);
        assertThat(after[0]).isGreaterThan(beforeMax);
        assertStrictlyIncreasing(after);
    }

    @Test
    void restartWithinReserveStepWaitsForTheReservedMark(@TempDir Path stateDir) {
        SnowflakeIdGenerator first = SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(new FileTimestampStore(stateDir))
            .build();
        long last = first.next();

        clock.advance(200);
        SnowflakeIdGenerator restarted = SnowflakeIdGenerator.builder(LAYOUT)
            .clock(clock)
            .timestampStore(new FileTimestampStore(stateDir))
            .build();

        assertThat(clock.pausedMillis()).isEqualTo(801);
        long next = restarted.next();
        assertThat(next).isGreaterThan(last);
        assertThat(timestampOf(restarted, next)).isEqualTo(START + 1_001);
    }

    @Test
    void corruptStateFileFailsWithClearMessage(@TempDir Path stateDir) throws Exception {
        Files.writeString(stateDir.resolve("0-0.state"), "garbage");
        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> SnowflakeIdGenerator.builder(LAYOUT)
                .clock(clock)
                .timestampStore(new FileTimestampStore(stateDir))
                .build())
            .withMessageContaining("0-0.state is corrupt");
    }
}

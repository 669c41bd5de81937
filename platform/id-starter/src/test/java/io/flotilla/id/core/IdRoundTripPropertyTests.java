package io.flotilla.id.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * parse ∘ next is the identity on the fields, for random layouts, workers and clock readings. jqwik prints the seed
 * of a failing try; replay it with {@code @Property(seed = "...")}.
 */
class IdRoundTripPropertyTests {

    @Property(tries = 500)
    void parseRecoversWhatNextEncoded(@ForAll @IntRange(min = 1, max = 22) int sequenceBits,
            @ForAll @IntRange(min = 0, max = 10) int datacenterIdBits,
            @ForAll @IntRange(min = 0, max = 10) int workerIdBits,
            @ForAll @LongRange(min = 0, max = 1L << 40) long epochMillis,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long offsetSeed,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int datacenterSeed,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int workerSeed,
            @ForAll @IntRange(min = 1, max = 50) int count) {
        int timestampBits = IdLayout.USABLE_BITS - sequenceBits - datacenterIdBits - workerIdBits;
        IdLayout layout = new IdLayout(epochMillis, timestampBits, datacenterIdBits, workerIdBits, sequenceBits);
        int datacenterId = (int) (datacenterSeed % (layout.maxDatacenterId() + 1));
        int workerId = (int) (workerSeed % (layout.maxWorkerId() + 1));
        long offset = offsetSeed % (layout.maxTimestamp() - 100);
        ManualClock clock = new ManualClock(epochMillis + offset + 1);
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(layout)
            .clock(clock)
            .timestampStore(new InMemoryTimestampStore())
            .workerIdProvider(new StaticWorkerIdProvider(datacenterId, workerId))
            .build();

        long previous = -1;
        for (int i = 0; i < count; i++) {
            long id = generator.next();
            IdParts parts = generator.parse(id);
            assertThat(id).isPositive().isGreaterThan(previous);
            assertThat(parts.datacenterId()).isEqualTo(datacenterId);
            assertThat(parts.workerId()).isEqualTo(workerId);
            assertThat(parts.epochMillis()).isEqualTo(clock.millis());
            assertThat(layout.compose(parts.epochMillis() - epochMillis, parts.datacenterId(), parts.workerId(),
                    parts.sequence())).isEqualTo(id);
            previous = id;
        }
    }

    @Property(tries = 500)
    void decomposeInvertsCompose(@ForAll @IntRange(min = 1, max = 22) int sequenceBits,
            @ForAll @IntRange(min = 0, max = 10) int datacenterIdBits,
            @ForAll @IntRange(min = 0, max = 10) int workerIdBits, @ForAll @LongRange(min = 0) long timestampSeed,
            @ForAll @LongRange(min = 0) long datacenterSeed, @ForAll @LongRange(min = 0) long workerSeed,
            @ForAll @LongRange(min = 0) long sequenceSeed) {
        int timestampBits = IdLayout.USABLE_BITS - sequenceBits - datacenterIdBits - workerIdBits;
        IdLayout layout = new IdLayout(0, timestampBits, datacenterIdBits, workerIdBits, sequenceBits);
        long timestamp = timestampSeed & layout.maxTimestamp();
        long datacenterId = datacenterSeed & layout.maxDatacenterId();
        long workerId = workerSeed & layout.maxWorkerId();
        long sequence = sequenceSeed & layout.maxSequence();

        long id = layout.compose(timestamp, datacenterId, workerId, sequence);

        assertThat(id).isNotNegative();
        assertThat(layout.decompose(id)).isEqualTo(new IdParts(id, timestamp, (int) datacenterId, (int) workerId,
                sequence));
    }
}

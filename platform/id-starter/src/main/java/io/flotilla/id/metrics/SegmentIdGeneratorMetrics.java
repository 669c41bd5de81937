package io.flotilla.id.metrics;

import io.flotilla.id.segment.SegmentIdGenerator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes a segment generator's counters: {@code flotilla.id.segment.taken} (segments taken from the table) and
 * {@code flotilla.id.segment.switch.waits} (segments that ran out before the next one was loaded; a rising rate
 * says the step is too small for the load or the database too slow). Read at scrape time.
 */
public final class SegmentIdGeneratorMetrics implements MeterBinder {

    private final SegmentIdGenerator generator;

    /**
     * @param generator generator whose counters are published
     */
    public SegmentIdGeneratorMetrics(SegmentIdGenerator generator) {
        this.generator = generator;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("flotilla.id.segment.taken", generator, SegmentIdGenerator::segmentsTaken)
            .description("Segments taken from the segment table")
            .register(registry);
        FunctionCounter.builder("flotilla.id.segment.switch.waits", generator, SegmentIdGenerator::switchWaits)
            .description("Segments used up before the next one was loaded, so issuing waited for the database")
            .register(registry);
    }
}

package io.flotilla.id.metrics;

import io.flotilla.id.core.IdGenerator;
import io.flotilla.id.core.IdGeneratorStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.function.ToDoubleFunction;

/**
 * Publishes a generator's counters: {@code flotilla.id.issued}, {@code flotilla.id.clock.rollbacks} (tagged
 * {@code outcome=observed|refused}), {@code flotilla.id.waits} (tagged {@code reason=sequence-exhausted|clock-behind}),
 * and for the worker lease {@code flotilla.id.lease.losses}, {@code flotilla.id.lease.regained},
 * {@code flotilla.id.lease.attempts.failed} and the gauge {@code flotilla.id.lease.held} (1 while ids can be issued).
 * The counters are read at scrape time, so issuing an id costs no meter update.
 */
public final class IdGeneratorMetrics implements MeterBinder {

    private static final String ROLLBACKS = "Clock steps back seen (observed) and calls refused for a step beyond "
            + "the bound (refused)";

    private final IdGenerator generator;

    /**
     * @param generator generator whose counters are published
     */
    public IdGeneratorMetrics(IdGenerator generator) {
        this.generator = generator;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "flotilla.id.issued", "Snowflake ids issued", IdGeneratorStats::issued);
        counter(registry, "flotilla.id.clock.rollbacks", ROLLBACKS, IdGeneratorStats::clockRollbacks, "outcome",
                "observed");
        counter(registry, "flotilla.id.clock.rollbacks", ROLLBACKS, IdGeneratorStats::refusals, "outcome", "refused");
        counter(registry, "flotilla.id.waits", "Waits for the clock to reach the next usable millisecond",
                IdGeneratorStats::sequenceExhaustedWaits, "reason", "sequence-exhausted");
        counter(registry, "flotilla.id.waits", "Waits for the clock to reach the next usable millisecond",
                IdGeneratorStats::clockBehindWaits, "reason", "clock-behind");
        counter(registry, "flotilla.id.lease.losses", "Worker leases lost; no ids are issued until one is regained",
                IdGeneratorStats::leaseLosses);
        counter(registry, "flotilla.id.lease.regained", "Worker slots leased again after a loss",
                IdGeneratorStats::leasesRegained);
        counter(registry, "flotilla.id.lease.attempts.failed", "Failed attempts to lease a worker slot again",
                IdGeneratorStats::failedLeaseAttempts);
        Gauge.builder("flotilla.id.lease.held", generator, (g) -> g.stats().leaseHeld() ? 1 : 0)
            .description("Whether the generator holds a worker slot and can issue ids (1) or not (0)")
            .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
            ToDoubleFunction<IdGeneratorStats> value, String... tags) {
        FunctionCounter.builder(name, generator, (g) -> value.applyAsDouble(g.stats()))
            .description(description)
            .tags(tags)
            .register(registry);
    }
}

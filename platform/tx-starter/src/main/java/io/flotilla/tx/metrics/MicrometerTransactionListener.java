package io.flotilla.tx.metrics;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.TransactionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Meters for global transactions and branch phases:
 * <ul>
 *   <li>{@code flotilla.tx.global} (timer; tags {@code mode}, {@code outcome}: COMMITTED, ROLLED_BACK, UNKNOWN)
 *       for transactions this process initiated;</li>
 *   <li>{@code flotilla.tx.branch} (counter; tags {@code mode}, {@code resource}, {@code phase}, {@code outcome})
 *       for branch phases this process ran as a participant: {@code outcome=refused} counts suspended tries
 *       turned away, {@code empty} empty rollbacks, {@code failed} phases the coordinator will retry.</li>
 * </ul>
 */
public final class MicrometerTransactionListener implements TransactionListener {

    private final MeterRegistry registry;

    public MicrometerTransactionListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void globalFinished(TransactionMode mode, String outcome, Duration duration) {
        Timer.builder("flotilla.tx.global")
            .description("Global transactions initiated by this process")
            .tag("mode", mode.name())
            .tag("outcome", outcome)
            .register(registry)
            .record(duration);
    }

    @Override
    public void branchPhase(TransactionMode mode, String resource, String phase, String outcome) {
        Counter.builder("flotilla.tx.branch")
            .description("Branch phases run by this participant")
            .tag("mode", mode.name())
            .tag("resource", resource)
            .tag("phase", phase)
            .tag("outcome", outcome)
            .register(registry)
            .increment();
    }
}

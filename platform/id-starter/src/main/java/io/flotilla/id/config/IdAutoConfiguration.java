package io.flotilla.id.config;

import io.flotilla.id.core.FileTimestampStore;
import io.flotilla.id.core.IdGenerator;
import io.flotilla.id.core.IdLayout;
import io.flotilla.id.core.MillisClock;
import io.flotilla.id.core.RetryScheduler;
import io.flotilla.id.core.SnowflakeIdGenerator;
import io.flotilla.id.core.StaticWorkerIdProvider;
import io.flotilla.id.core.TimestampStore;
import io.flotilla.id.core.WorkerIdProvider;
import io.flotilla.id.metrics.IdGeneratorMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures a snowflake {@link IdGenerator} from {@link IdProperties}. Every bean backs off when the
 * application defines its own; a {@link MillisClock} bean, when present, replaces the system clock, and a
 * {@link RetryScheduler} bean the virtual threads that run the attempts to lease a worker slot again.
 */
@AutoConfiguration
@EnableConfigurationProperties(IdProperties.class)
public class IdAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WorkerIdProvider flotillaWorkerIdProvider(IdProperties properties) {
        IdLayout layout = properties.toLayout();
        requireFits("flotilla.id.datacenter-id", properties.getDatacenterId(), layout.datacenterIdBits(),
                layout.maxDatacenterId());
        requireFits("flotilla.id.worker-id", properties.getWorkerId(), layout.workerIdBits(), layout.maxWorkerId());
        return new StaticWorkerIdProvider(properties.getDatacenterId(), properties.getWorkerId());
    }

    private static void requireFits(String property, int value, int bits, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(
                    property + "=" + value + " does not fit its " + bits + "-bit field (allowed 0.." + max + ")");
        }
    }

    @Bean
    @ConditionalOnMissingBean
    TimestampStore flotillaTimestampStore(IdProperties properties) {
        return new FileTimestampStore(properties.getStateDir());
    }

    @Bean
    @ConditionalOnMissingBean(IdGenerator.class)
    SnowflakeIdGenerator flotillaIdGenerator(IdProperties properties, WorkerIdProvider workerIdProvider,
            TimestampStore timestampStore, ObjectProvider<MillisClock> clock,
            ObjectProvider<RetryScheduler> retryScheduler) {
        Duration initialBackoff = properties.getLeaseRetryInitialBackoff();
        if (initialBackoff.toMillis() < 1 || properties.getLeaseRetryMaxBackoff().compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("flotilla.id.lease-retry-initial-backoff=" + initialBackoff
                    + " must be at least 1ms and at most flotilla.id.lease-retry-max-backoff="
                    + properties.getLeaseRetryMaxBackoff());
        }
        return SnowflakeIdGenerator.builder(properties.toLayout())
            .workerIdProvider(workerIdProvider)
            .timestampStore(timestampStore)
            .clock(clock.getIfAvailable(() -> MillisClock.SYSTEM))
            .maxBackwardStep(properties.getMaxBackwardStep())
            .reserveStep(properties.getReserveStep())
            .leaseRetryBackoff(properties.getLeaseRetryInitialBackoff(), properties.getLeaseRetryMaxBackoff())
            .retryScheduler(retryScheduler.getIfAvailable(() -> RetryScheduler.VIRTUAL_THREADS))
            .build();
    }

    /** Meters for the generator, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class IdMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        IdGeneratorMetrics flotillaIdGeneratorMetrics(IdGenerator generator) {
            return new IdGeneratorMetrics(generator);
        }
    }
}

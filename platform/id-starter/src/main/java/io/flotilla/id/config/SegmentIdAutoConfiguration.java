package io.flotilla.id.config;

import javax.sql.DataSource;

import io.flotilla.id.metrics.SegmentIdGeneratorMetrics;
import io.flotilla.id.segment.JdbcSegmentStore;
import io.flotilla.id.segment.SegmentIdGenerator;
import io.flotilla.id.segment.SegmentStepPolicy;
import io.flotilla.id.segment.SegmentStore;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures a {@link SegmentIdGenerator} on the application's {@link DataSource} (table
 * {@value JdbcSegmentStore#TABLE}, created by the application's own schema migration; see the README). Nothing
 * touches the database before the first id is asked for.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "flotilla.id.segment.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdProperties.class)
public class SegmentIdAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SegmentStore flotillaSegmentStore(DataSource dataSource) {
        return new JdbcSegmentStore(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    SegmentIdGenerator flotillaSegmentIdGenerator(SegmentStore store, IdProperties properties) {
        IdProperties.Segment segment = properties.getSegment();
        try {
            return new SegmentIdGenerator(store,
                    new SegmentStepPolicy(segment.getMaxStep(), segment.getTargetDuration()));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Invalid flotilla.id.segment.max-step or .target-duration: "
                    + ex.getMessage(), ex);
        }
    }

    /** Meters for the generator, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class SegmentIdMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SegmentIdGeneratorMetrics flotillaSegmentIdGeneratorMetrics(SegmentIdGenerator generator) {
            return new SegmentIdGeneratorMetrics(generator);
        }
    }
}

package io.flotilla.id.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.flotilla.id.core.IdGenerator;
import io.flotilla.id.core.IdLayout;
import io.flotilla.id.core.IdParts;
import io.flotilla.id.core.MillisClock;
import io.flotilla.id.core.SnowflakeIdGenerator;
import io.flotilla.id.core.TimestampOverflowException;
import io.flotilla.id.core.WorkerId;
import io.flotilla.id.metrics.IdGeneratorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class IdAutoConfigurationTests {

    @TempDir
    Path stateDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(IdAutoConfiguration.class))
            .withPropertyValues("flotilla.id.state-dir=" + stateDir);
    }

    @Test
    void generatorBeanIsAutoConfigured() {
        runner().run((context) -> {
            assertThat(context).hasSingleBean(IdGenerator.class).hasSingleBean(IdGeneratorMetrics.class);
            IdGenerator generator = context.getBean(IdGenerator.class);
            long id = generator.next();
            assertThat(generator.parse(id).datacenterId()).isZero();
            assertThat(generator.layout()).isEqualTo(IdLayout.standard(IdLayout.DEFAULT_EPOCH));
            assertThat(stateDir.resolve("0-0.state")).exists();
        });
    }

    @Test
    void propertiesAreBound() {
        runner().withPropertyValues("flotilla.id.epoch=2020-01-01T00:00:00Z", "flotilla.id.timestamp-bits=42",
                "flotilla.id.datacenter-id-bits=3", "flotilla.id.worker-id-bits=8", "flotilla.id.sequence-bits=10",
                "flotilla.id.datacenter-id=6", "flotilla.id.worker-id=200", "flotilla.id.max-backward-step=20ms",
                "flotilla.id.reserve-step=5s")
            .run((context) -> {
                IdProperties properties = context.getBean(IdProperties.class);
                assertThat(properties.getMaxBackwardStep()).isEqualTo(Duration.ofMillis(20));
                assertThat(properties.getReserveStep()).isEqualTo(Duration.ofSeconds(5));
                assertThat(properties.getStateDir()).isEqualTo(stateDir);
                SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
                assertThat(generator.layout())
                    .isEqualTo(new IdLayout(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(), 42, 3, 8, 10));
                assertThat(generator.workerId()).isEqualTo(new WorkerId(6, 200));
                IdParts parts = generator.parse(generator.next());
                assertThat(parts.workerId()).isEqualTo(200);
                assertThat(stateDir.resolve("6-200.state")).exists();
            });
    }

    @Test
    void clockBeanReplacesSystemClock() {
        long fixed = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        runner().withBean(MillisClock.class, () -> () -> fixed).run((context) -> {
            IdGenerator generator = context.getBean(IdGenerator.class);
            assertThat(generator.parse(generator.next()).epochMillis()).isEqualTo(fixed);
        });
    }

    @Test
    void userGeneratorWins() {
        IdGenerator own = mock(IdGenerator.class);
        runner().withBean(IdGenerator.class, () -> own).run((context) -> {
            assertThat(context).hasSingleBean(IdGenerator.class).doesNotHaveBean(SnowflakeIdGenerator.class);
            assertThat(context.getBean(IdGenerator.class)).isSameAs(own);
        });
    }

    @Test
    void workerIdWiderThanItsFieldFailsStartUp() {
        runner().withPropertyValues("flotilla.id.worker-id=32").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("flotilla.id.worker-id=32 does not fit its 5-bit field (allowed 0..31)");
        });
    }

    @Test
    void datacenterIdWiderThanItsFieldFailsStartUp() {
        runner().withPropertyValues("flotilla.id.datacenter-id-bits=2", "flotilla.id.timestamp-bits=44",
                "flotilla.id.datacenter-id=4")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("flotilla.id.datacenter-id=4 does not fit its 2-bit field (allowed 0..3)"));
    }

    @Test
    void leaseRetryBackoffIsBoundAndChecked() {
        runner().withPropertyValues("flotilla.id.lease-retry-initial-backoff=2s",
                "flotilla.id.lease-retry-max-backoff=1m")
            .run((context) -> {
                IdProperties properties = context.getBean(IdProperties.class);
                assertThat(properties.getLeaseRetryInitialBackoff()).isEqualTo(Duration.ofSeconds(2));
                assertThat(properties.getLeaseRetryMaxBackoff()).isEqualTo(Duration.ofMinutes(1));
                assertThat(context).hasSingleBean(SnowflakeIdGenerator.class);
            });
        runner().withPropertyValues("flotilla.id.lease-retry-initial-backoff=2m")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("flotilla.id.lease-retry-initial-backoff=PT2M must be at least 1ms and at most "
                        + "flotilla.id.lease-retry-max-backoff=PT30S"));
    }

    @Test
    void invalidLayoutFailsStartUp() {
        runner().withPropertyValues("flotilla.id.sequence-bits=13")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("must use exactly 63 bits")
                .hasMessageContaining("= 64"));
    }

    @Test
    void exhaustedLayoutFailsStartUpWithTheDate() {
        runner().withPropertyValues("flotilla.id.epoch=2020-01-01T00:00:00Z", "flotilla.id.timestamp-bits=28",
                "flotilla.id.sequence-bits=25")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(TimestampOverflowException.class)
                .hasMessageContaining("ran out on 2020-01-04T02:33:55.456Z"));
    }

    @Test
    void metricsArePublished() {
        runner().run((context) -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(IdGeneratorMetrics.class).bindTo(registry);
            context.getBean(IdGenerator.class).next(7);
            assertThat(registry.get("flotilla.id.issued").functionCounter().count()).isEqualTo(7);
            assertThat(registry.get("flotilla.id.clock.rollbacks").tag("outcome", "refused").functionCounter().count())
                .isZero();
            assertThat(registry.get("flotilla.id.waits").tag("reason", "sequence-exhausted").functionCounter())
                .isNotNull();
        });
    }

    @Test
    void metricsBackOffWithoutMicrometer() {
        runner().withClassLoader(new FilteredClassLoader("io.micrometer.core"))
            .run((context) -> assertThat(context).hasSingleBean(IdGenerator.class)
                .doesNotHaveBean(IdGeneratorMetrics.class));
    }
}

package io.flotilla.testsupport.time;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManualClockTests {

    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void standsStillUntilMovedAndThenReadsWhereItWasMoved() throws InterruptedException {
        ManualClock clock = ManualClock.at(START);
        Thread.sleep(5);
        assertThat(clock.instant()).isEqualTo(START);
        clock.advance(Duration.ofSeconds(61));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(61));
        clock.advance(Duration.ofMillis(-1_500));
        assertThat(clock.millis()).isEqualTo(START.plusMillis(59_500).toEpochMilli());
        clock.set(START);
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void systemTimeClockRunsAheadByWhatTheTestAdded() {
        ManualClock clock = ManualClock.ofSystemTime();
        clock.advance(Duration.ofHours(1));
        long before = System.currentTimeMillis();
        long read = clock.millis();
        long after = System.currentTimeMillis();
        assertThat(read).isBetween(before + 3_600_000, after + 3_600_000);
    }

    @Test
    void aZonedViewMovesWithTheClock() {
        ManualClock clock = ManualClock.at(START);
        var paris = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(paris.instant()).isEqualTo(START.plusSeconds(300));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.getZone()).isEqualTo(java.time.ZoneOffset.UTC);
    }
}

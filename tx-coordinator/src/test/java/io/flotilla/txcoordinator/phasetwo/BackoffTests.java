package io.flotilla.txcoordinator.phasetwo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTests {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(7));

    @Test
    void theCeilingDoublesFromTheInitialDelayUpToTheMaximum() {
        assertThat(backoff.ceilingMillis(0)).isZero();
        assertThat(backoff.ceilingMillis(1)).isEqualTo(100);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(200);
        assertThat(backoff.ceilingMillis(3)).isEqualTo(400);
        assertThat(backoff.ceilingMillis(9)).isEqualTo(25_600);
        assertThat(backoff.ceilingMillis(10)).isEqualTo(30_000);
        assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(30_000);
    }

    @Test
    void jitterStaysInTheUpperHalfOfTheCeilingAndVaries() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long delay = backoff.delayMillis(4);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isGreaterThanOrEqualTo(400);
        assertThat(max).isLessThanOrEqualTo(800);
        assertThat(max - min).isGreaterThan(300);
        assertThat(backoff.delayMillis(0)).isZero();
    }

    @Test
    void afterManyFailuresRetriesKeepComingAtTheMaximumInterval() {
        for (int attempts = 20; attempts < 1_000; attempts += 97) {
            assertThat(backoff.delayMillis(attempts)).isBetween(15_000L, 30_000L);
        }
    }

    @Test
    void refusesAnInitialDelayAboveTheMaximum() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

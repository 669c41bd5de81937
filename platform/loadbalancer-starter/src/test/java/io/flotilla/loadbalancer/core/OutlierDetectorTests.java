package io.flotilla.loadbalancer.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OutlierDetectorTests {

    private static final String A = "svc/10.0.0.1:80";

    // a negative start: nanoTime may be negative, and deadlines must be compared by difference
    private final AtomicLong nanos = new AtomicLong(Long.MIN_VALUE / 2);

    private final OutlierDetector detector = new OutlierDetector(3, Duration.ofSeconds(30), nanos::get);

    @Test
    void consecutiveFailuresEjectTheInstanceForTheEjectionDuration() {
        detector.failed(A);
        detector.failed(A);
        assertThat(detector.isEjected(A)).isFalse();
        long before = detector.version();
        detector.failed(A);
        assertThat(detector.isEjected(A)).isTrue();
        assertThat(detector.version()).isNotEqualTo(before);
        assertThat(detector.ejectedUntil(A)).isEqualTo(nanos.get() + Duration.ofSeconds(30).toNanos());

        nanos.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(detector.isEjected(A)).isTrue();
        nanos.incrementAndGet();
        assertThat(detector.isEjected(A)).isFalse();
        assertThat(detector.ejectedUntil(A)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aSuccessEndsTheFailureStreak() {
        detector.failed(A);
        detector.failed(A);
        detector.succeeded(A);
        detector.failed(A);
        detector.failed(A);
        assertThat(detector.isEjected(A)).isFalse();
    }

    @Test
    void afterItsEjectionOneMoreFailureEjectsAgainAndOneSuccessRestoresIt() {
        for (int i = 0; i < 3; i++) {
            detector.failed(A);
        }
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(detector.isEjected(A)).isFalse();
        detector.failed(A);
        assertThat(detector.isEjected(A)).isTrue();
        assertThat(detector.ejections(A)).isEqualTo(2);

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        detector.succeeded(A);
        detector.failed(A);
        assertThat(detector.isEjected(A)).isFalse();
    }

    @Test
    void failuresOfRequestsStillInFlightDoNotExtendAnEjection() {
        for (int i = 0; i < 3; i++) {
            detector.failed(A);
        }
        long until = detector.ejectedUntil(A);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        detector.failed(A);
        detector.failed(A);
        assertThat(detector.ejectedUntil(A)).isEqualTo(until);
        assertThat(detector.ejections(A)).isEqualTo(1);
    }

    @Test
    void instancesAreJudgedSeparatelyAndClearForgetsEverything() {
        for (int i = 0; i < 3; i++) {
            detector.failed(A);
        }
        assertThat(detector.isEjected("svc/10.0.0.2:80")).isFalse();
        detector.clear();
        assertThat(detector.isEjected(A)).isFalse();
        assertThat(detector.ejections(A)).isZero();
    }

    @Test
    void disabledDetectorNeverEjects() {
        OutlierDetector disabled = OutlierDetector.disabled();
        for (int i = 0; i < 1_000; i++) {
            disabled.failed(A);
        }
        assertThat(disabled.isEjected(A)).isFalse();
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierDetector(0, Duration.ofSeconds(1), nanos::get));
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierDetector(1, Duration.ofSeconds(-1), nanos::get));
    }
}

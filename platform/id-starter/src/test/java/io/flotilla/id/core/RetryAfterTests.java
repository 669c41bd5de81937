package io.flotilla.id.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The Retry-After value every service answers a refused id with: whole seconds, rounded up, at least one. */
class RetryAfterTests {

    @Test
    void aClockBehindByLessThanASecondAsksForOneSecond() {
        assertThat(new ClockMovedBackwardsException(40, 10).retryAfterSeconds()).isEqualTo(OptionalLong.of(1));
    }

    @Test
    void partSecondsRoundUp() {
        assertThat(new ClockMovedBackwardsException(2_000, 10).retryAfterSeconds()).isEqualTo(OptionalLong.of(3));
        assertThat(new WorkerLeaseLostException(new WorkerId(1, 7), Duration.ofMillis(1_000)).retryAfterSeconds())
                .isEqualTo(OptionalLong.of(1));
        assertThat(new WorkerLeaseLostException(new WorkerId(1, 7), Duration.ofMillis(1_001)).retryAfterSeconds())
                .isEqualTo(OptionalLong.of(2));
    }

    @Test
    void aLeaseThatWillNotBeTakenAgainHasNoRetryAfter() {
        assertThat(new WorkerLeaseLostException(new WorkerId(1, 7)).retryAfterSeconds()).isEmpty();
    }

    @Test
    void aFailureThatCannotTellHasNoRetryAfter() {
        assertThat(new IdGenerationException("store down").retryAfterSeconds()).isEmpty();
    }
}

package io.flotilla.tx.web;

import java.time.Duration;
import java.time.Instant;

import io.flotilla.testsupport.time.ManualClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeenNoncesTests {

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-12-06T20:00:00Z"));

    private final SeenNonces nonces = new SeenNonces(clock, Duration.ofMinutes(10));

    @Test
    void aNonceSeenWithinItsWindowIsAReplay() {
        assertThat(nonces.firstUse("n-1")).isTrue();
        clock.advance(Duration.ofMinutes(9));
        assertThat(nonces.firstUse("n-1")).isFalse();
    }

    @Test
    void expiredNoncesAreForgottenAsNewCallsArriveSoTheSetStaysAWindowLong() {
        for (int i = 0; i < 1_000; i++) {
            nonces.firstUse("old-" + i);
        }
        clock.advance(Duration.ofMinutes(10));
        nonces.firstUse("new");

        assertThat(nonces.size()).isEqualTo(1);
        assertThat(nonces.firstUse("old-7")).as("a nonce past its window is a stale call, refused by its timestamp")
            .isTrue();
    }

    @Test
    void afterTheClockStepsBackANonceIsKeptTooLongNeverTooShort() {
        nonces.firstUse("before");
        clock.set(Instant.parse("2026-12-06T19:55:00Z"));
        nonces.firstUse("after");

        clock.set(Instant.parse("2026-12-06T20:06:00Z"));
        assertThat(nonces.firstUse("after")).as("past its own window, still held behind 'before'").isFalse();

        clock.set(Instant.parse("2026-12-06T20:10:00Z"));
        nonces.firstUse("later");
        assertThat(nonces.size()).isEqualTo(1);
    }
}

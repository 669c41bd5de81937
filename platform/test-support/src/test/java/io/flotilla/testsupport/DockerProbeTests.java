package io.flotilla.testsupport;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Runs as it finds the machine: without an engine, or with one that cannot pull (the case that once hung the
 * suite in Testcontainers' pull retries), the answer for an image that exists nowhere is no, with a reason,
 * and it comes within the probe's own pull bound rather than after minutes.
 */
class DockerProbeTests {

    private static final String NOWHERE = "flotilla-test/no-such-image:never";

    @Test
    void anImageThatExistsNowhereIsRefusedWithinThePullBound() {
        Duration bound = DockerProbe.PULL_TIMEOUT.multipliedBy(2).plusSeconds(30);
        boolean runnable = assertTimeoutPreemptively(bound, () -> DockerProbe.canRun(NOWHERE));

        assertThat(runnable).isFalse();
        assertThat(DockerProbe.whyNot(NOWHERE)).containsAnyOf("no Docker engine answers",
                NOWHERE + " is neither present nor pullable", "testcontainers/ryuk");
    }
}

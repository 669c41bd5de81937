package io.flotilla.txcoordinator.phasetwo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class WaitingBranchesTests {

    private static final String STOCK = "http://10.0.0.7:8081/tcc/confirm";

    private final WaitingBranches waiting = new WaitingBranches();
    private final List<Runnable> runNow = new ArrayList<>();

    @Test
    void aTimerRunsItsAttemptWhenNothingWokeTheBranch() {
        AtomicInteger attempts = new AtomicInteger();
        Runnable timer = waiting.park(1, STOCK, attempts::incrementAndGet);

        timer.run();
        waiting.wake(STOCK, 1, runNow::add);

        assertThat(attempts).hasValue(1);
        assertThat(runNow).isEmpty();
        assertThat(waiting.size()).isZero();
    }

    @Test
    void aWokenBranchRunsOnceAndItsTimerThenDoesNothing() {
        AtomicInteger attempts = new AtomicInteger();
        Runnable timer = waiting.park(1, STOCK, attempts::incrementAndGet);

        waiting.wake("http://10.0.0.7:8081/tcc/batch", 1, runNow::add);
        runNow.forEach(Runnable::run);
        timer.run();

        assertThat(attempts).as("the participant's other URL woke it; the timer found it claimed").hasValue(1);
    }

    @Test
    void anOldTimerDoesNotRunALaterWaitOfTheSameBranch() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        Runnable firstTimer = waiting.park(1, STOCK, first::incrementAndGet);
        waiting.wake(STOCK, 1, runNow::add);
        runNow.forEach(Runnable::run);
        // The woken attempt failed again: the branch waits anew.
        Runnable secondTimer = waiting.park(1, STOCK, second::incrementAndGet);

        firstTimer.run();
        assertThat(second).as("still waiting").hasValue(0);
        secondTimer.run();

        assertThat(first).hasValue(1);
        assertThat(second).hasValue(1);
    }

    @Test
    void eachAcknowledgedCallWakesTwoBranchesOfThatParticipantOnly() {
        for (long branchId = 1; branchId <= 10; branchId++) {
            waiting.park(branchId, STOCK, () -> { });
        }
        waiting.park(100, "http://10.0.0.8:8081/tcc/confirm", () -> { });

        waiting.wake(STOCK, 1, runNow::add);
        assertThat(runNow).hasSize(2);
        waiting.wake(STOCK, 3, runNow::add);
        assertThat(runNow).hasSize(8);
        waiting.wake(STOCK, 0, runNow::add);
        assertThat(runNow).hasSize(8);
        waiting.wake(STOCK, 5, runNow::add);

        assertThat(runNow).as("all ten, no more").hasSize(10);
        assertThat(waiting.size()).as("the other participant's branch").isEqualTo(1);
    }

    @Test
    void aParticipantIsItsOrigin() {
        assertThat(WaitingBranches.origin("HTTP://Stock:8081/a/b?x=1")).isEqualTo("http://Stock:8081");
        assertThat(WaitingBranches.origin("https://10.0.0.7/tcc")).isEqualTo("https://10.0.0.7");
        assertThat(WaitingBranches.origin("not a url")).isEqualTo("not a url");
        assertThat(WaitingBranches.origin("relative/path")).isEqualTo("relative/path");
    }
}

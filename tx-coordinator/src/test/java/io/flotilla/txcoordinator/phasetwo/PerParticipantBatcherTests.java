package io.flotilla.txcoordinator.phasetwo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The batching rule: one batch in flight per endpoint, what queues meanwhile goes next, together, up to the cap. */
class PerParticipantBatcherTests {

    private record Sent(String endpoint, List<Integer> calls, CompletableFuture<Void> answer) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private PerParticipantBatcher<Integer> batcher(int max) {
        return new PerParticipantBatcher<>(max, (endpoint, calls) -> {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            sent.add(new Sent(endpoint, List.copyOf(calls), answer));
            return answer;
        });
    }

    @Test
    void aCallToAnIdleEndpointGoesAtOnceAlone() {
        PerParticipantBatcher<Integer> batcher = batcher(64);

        batcher.submit("a", 1);

        assertThat(sent).singleElement().satisfies(s -> assertThat(s.calls()).containsExactly(1));
    }

    @Test
    void callsDueWhileABatchIsInFlightGoTogetherWhenItReturns() {
        PerParticipantBatcher<Integer> batcher = batcher(64);
        batcher.submit("a", 1);
        batcher.submit("a", 2);
        batcher.submit("a", 3);
        batcher.submit("b", 10);

        assertThat(sent).extracting(Sent::calls).containsExactly(List.of(1), List.of(10));
        assertThat(batcher.queued("a")).isEqualTo(2);

        sent.getFirst().answer().complete(null);

        assertThat(sent).extracting(Sent::calls).containsExactly(List.of(1), List.of(10), List.of(2, 3));
        assertThat(sent.get(2).endpoint()).isEqualTo("a");
        assertThat(batcher.queued("a")).isZero();

        sent.get(2).answer().complete(null);
        batcher.submit("a", 4);
        assertThat(sent.getLast().calls()).as("idle again: sent at once").containsExactly(4);
    }

    @Test
    void aFailedBatchLetsTheNextOneGoAndABatchIsCappedAtItsMaximum() {
        PerParticipantBatcher<Integer> batcher = batcher(2);
        batcher.submit("a", 1);
        for (int i = 2; i <= 6; i++) {
            batcher.submit("a", i);
        }

        sent.getFirst().answer().completeExceptionally(new IllegalStateException("connection refused"));
        assertThat(sent.getLast().calls()).containsExactly(2, 3);
        sent.getLast().answer().complete(null);
        assertThat(sent.getLast().calls()).containsExactly(4, 5);
        sent.getLast().answer().complete(null);
        assertThat(sent.getLast().calls()).containsExactly(6);
        sent.getLast().answer().complete(null);
        assertThat(sent).hasSize(4);
    }

    @Test
    void aSenderThatThrowsDoesNotWedgeTheEndpoint() {
        List<List<Integer>> attempts = new ArrayList<>();
        PerParticipantBatcher<Integer> batcher = new PerParticipantBatcher<>(64, (endpoint, calls) -> {
            attempts.add(List.copyOf(calls));
            if (calls.contains(1)) {
                throw new IllegalStateException("boom");
            }
            return CompletableFuture.completedFuture(null);
        });

        batcher.submit("a", 1);
        batcher.submit("a", 2);

        assertThat(attempts).containsExactly(List.of(1), List.of(2));
        assertThat(batcher.queued("a")).isZero();
    }

    @Test
    void underConcurrentSubmissionsEveryCallIsSentExactlyOnceAndNeverTwoBatchesAtOnce() throws Exception {
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService answers = Executors.newFixedThreadPool(2);
        PerParticipantBatcher<Integer> batcher = new PerParticipantBatcher<>(8, (endpoint, calls) -> {
            if (inFlight.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            delivered.addAll(calls);
            return CompletableFuture.runAsync(() -> {
                inFlight.decrementAndGet();
            }, answers);
        });
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int base = t * 1_000;
            submitters.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 1_000; i++) {
                    batcher.submit("a", base + i);
                }
            });
        }
        start.countDown();
        submitters.shutdown();
        assertThat(submitters.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (delivered.size() < 4_000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        answers.shutdown();

        assertThat(delivered).hasSize(4_000).doesNotHaveDuplicates();
        assertThat(overlaps.get()).isZero();
    }
}

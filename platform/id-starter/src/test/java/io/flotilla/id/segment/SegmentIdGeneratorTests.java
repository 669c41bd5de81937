package io.flotilla.id.segment;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SegmentIdGeneratorTests {

    private static final Duration TARGET = Duration.ofMinutes(15);

    private final InMemorySegmentStore store = new InMemorySegmentStore();

    private final AtomicLong nanos = new AtomicLong();

    private final ExecutorService loader = Executors.newSingleThreadExecutor();

    private final SegmentIdGenerator generator = new SegmentIdGenerator(store,
            new SegmentStepPolicy(1_000, TARGET), loader, nanos::get);

    @AfterEach
    void stopLoader() {
        loader.shutdownNow();
    }

    @Test
    void idsStartAtOneAndIncrease() {
        generator.createTag("order", 10);
        long[] ids = new long[35];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = generator.next("order");
        }
        assertThat(ids[0]).isEqualTo(1);
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void nextSegmentIsTakenInTheBackgroundOnceTenPercentIsUsed() {
        generator.createTag("order", 100);
        for (int i = 0; i < 10; i++) {
            generator.next("order");
        }
        assertThat(store.allocations()).isEqualTo(1);
        generator.next("order"); // the 11th id: 10% of the segment is used
        await().atMost(Duration.ofSeconds(30)).until(() -> store.allocations() == 2);
        for (int i = 0; i < 89; i++) {
            generator.next("order");
        }
        assertThat(generator.next("order")).isEqualTo(101);
        assertThat(generator.switchWaits()).isZero();
    }

    @Test
    void stepDoublesWhileSegmentsRunOutFasterThanTheTargetUpToTheBound() {
        generator.createTag("fast", 100);
        for (int i = 0; i < 20_000; i++) {
            generator.next("fast");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> store.allocations() >= 20);
        assertThat(store.steps()).startsWith(0L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(store.steps().stream().mapToLong(Long::longValue).max()).hasValue(1_000);
    }

    @Test
    void stepHalvesWhenASegmentLastsTwiceTheTargetButNotBelowTheTagsStep() {
        // Loads run on the calling thread here, so each one reads the clock exactly where the test has set it.
        SegmentIdGenerator generator = new SegmentIdGenerator(store, new SegmentStepPolicy(1_000, TARGET),
                Runnable::run, nanos::get);
        generator.createTag("slow", 100);
        consume(generator, "slow", 700); // segments of 100, 200, 400, and 800 already asked for
        nanos.addAndGet(TARGET.multipliedBy(2).toNanos());
        consume(generator, "slow", 800);
        nanos.addAndGet(TARGET.multipliedBy(3).toNanos());
        consume(generator, "slow", 400);
        nanos.addAndGet(TARGET.multipliedBy(3).toNanos());
        consume(generator, "slow", 200);
        nanos.addAndGet(TARGET.multipliedBy(3).toNanos());
        consume(generator, "slow", 100);
        assertThat(store.steps()).containsExactly(0L, 200L, 400L, 800L, 400L, 200L, 100L, 100L);
    }

    @Test
    void stepStaysWhenASegmentLastsBetweenOnceAndTwiceTheTarget() {
        SegmentStepPolicy policy = new SegmentStepPolicy(1_000, TARGET);
        long between = TARGET.multipliedBy(3).dividedBy(2).toNanos();
        assertThat(policy.nextStep(300, 100, between)).isEqualTo(300);
        assertThat(policy.nextStep(600, 100, 0)).isEqualTo(1_000);
        assertThat(policy.nextStep(100, 100, TARGET.multipliedBy(4).toNanos())).isEqualTo(100);
        assertThat(policy.nextStep(5_000, 5_000, 0)).as("a tag's own step above the bound is kept").isEqualTo(5_000);
    }

    @Test
    void batchSpansSegmentsInIncreasingOrder() {
        generator.createTag("batch", 10);
        long[] first = generator.next("batch", 25);
        long[] second = generator.next("batch", 1_000);
        assertThat(first).startsWith(1, 2, 3).isSorted().doesNotHaveDuplicates();
        assertThat(second).isSorted().doesNotHaveDuplicates();
        assertThat(second[0]).isGreaterThan(first[first.length - 1]);
    }

    @Test
    void unknownTagIsRefusedAndNotRemembered() {
        assertThatThrownBy(() -> generator.next("nope")).isInstanceOf(UnknownTagException.class);
        generator.createTag("nope", 5);
        assertThat(generator.next("nope")).isEqualTo(1);
    }

    @Test
    void badNamesStepsAndCountsAreRefusedWithoutTouchingTheStore() {
        assertThatThrownBy(() -> generator.createTag("has space", 10))
            .isInstanceOf(InvalidSegmentRequestException.class).hasMessageContaining("tag must be");
        assertThatThrownBy(() -> generator.createTag("-dash", 10)).isInstanceOf(InvalidSegmentRequestException.class);
        assertThatThrownBy(() -> generator.createTag("x".repeat(129), 10))
            .isInstanceOf(InvalidSegmentRequestException.class);
        assertThatThrownBy(() -> generator.createTag("order", 0)).hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> generator.createTag("order", 1_001)).hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> generator.next("order", 0)).isInstanceOf(InvalidSegmentRequestException.class);
        assertThatThrownBy(() -> generator.next("bad/tag")).isInstanceOf(InvalidSegmentRequestException.class);
        assertThat(store.allocations()).isZero();
        generator.createTag("order", 10);
        assertThatThrownBy(() -> generator.createTag("order", 10)).isInstanceOf(TagExistsException.class);
    }

    @Test
    void failedBackgroundLoadIsRetriedWhenTheSegmentRunsOut() {
        generator.createTag("flaky", 10);
        generator.next("flaky");
        store.failuresToInject.set(1);
        generator.next("flaky"); // starts the background load, which fails
        await().atMost(Duration.ofSeconds(30)).until(() -> store.failuresToInject.get() == 0);
        long last = 0;
        for (int i = 0; i < 20; i++) {
            long id = generator.next("flaky");
            assertThat(id).isGreaterThan(last);
            last = id;
        }
        assertThat(last).isEqualTo(22);
    }

    @Test
    void failingStoreFailsTheCallAndIssuingResumesAfterwards() {
        generator.createTag("down", 5);
        store.failuresToInject.set(1);
        assertThatThrownBy(() -> generator.next("down")).isInstanceOf(IdSegmentException.class);
        assertThat(generator.next("down")).isEqualTo(1);
    }

    @Test
    void concurrentCallersNeverShareAnIdAndEachSeesItsIdsIncrease() throws Exception {
        generator.createTag("busy", 50);
        int threads = 8;
        int perThread = 50_000;
        List<Future<long[]>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int index = t;
                results.add(callers.submit(() -> {
                    long[] ids = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        ids[i] = (index % 2 == 0) ? generator.next("busy") : generator.next("busy", 1)[0];
                    }
                    return ids;
                }));
            }
        }
        long[] all = new long[threads * perThread];
        int offset = 0;
        for (Future<long[]> result : results) {
            long[] ids = result.get();
            assertThat(ids).isSorted();
            System.arraycopy(ids, 0, all, offset, ids.length);
            offset += ids.length;
        }
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            assertThat(all[i]).as("duplicate id").isNotEqualTo(all[i - 1]);
        }
    }

    private void consume(String tag, int count) {
        consume(generator, tag, count);
    }

    private static void consume(SegmentIdGenerator generator, String tag, int count) {
        for (int i = 0; i < count; i++) {
            generator.next(tag);
        }
    }
}

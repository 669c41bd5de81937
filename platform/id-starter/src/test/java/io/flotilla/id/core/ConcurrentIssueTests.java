package io.flotilla.id.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads on the real clock: every id unique, each thread's ids increasing. */
class ConcurrentIssueTests {

    private static final int THREADS = 8;

    private static final int IDS_PER_THREAD = 1_000_000;

    @Test
    void eightThreadsIssueEightMillionUniqueIncreasingIds() throws Exception {
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(IdLayout.standard(Instant.parse("2025-01-01T00:00:00Z")))
            .timestampStore(new InMemoryTimestampStore())
            .workerIdProvider(new StaticWorkerIdProvider(2, 9))
            .build();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<long[]>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    long[] ids = new long[IDS_PER_THREAD];
                    start.await();
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = generator.next();
                    }
                    return ids;
                }));
            }
            start.countDown();

            long[] all = new long[THREADS * IDS_PER_THREAD];
            int offset = 0;
            for (Future<long[]> result : results) {
                long[] ids = result.get();
                for (int i = 1; i < ids.length; i++) {
                    if (ids[i] <= ids[i - 1]) {
                        throw new AssertionError("thread's ids not increasing at " + i + ": " + ids[i - 1] + " then "
                                + ids[i]);
                    }
                }
                System.arraycopy(ids, 0, all, offset, ids.length);
                offset += ids.length;
            }
            Arrays.sort(all);
            for (int i = 1; i < all.length; i++) {
                if (all[i] == all[i - 1]) {
                    throw new AssertionError("id " + all[i] + " issued twice");
                }
            }
            assertThat(all[0]).isPositive();
            assertThat(generator.stats().issued()).isEqualTo((long) THREADS * IDS_PER_THREAD);
            IdParts parts = generator.parse(all[all.length - 1]);
            assertThat(parts.datacenterId()).isEqualTo(2);
            assertThat(parts.workerId()).isEqualTo(9);
        }
    }
}

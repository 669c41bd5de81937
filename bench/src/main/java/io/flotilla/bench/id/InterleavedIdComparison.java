package io.flotilla.bench.id;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.flotilla.id.core.FileTimestampStore;
import io.flotilla.id.core.IdLayout;
import io.flotilla.id.core.SnowflakeIdGenerator;

/**
 * A/B check for a shared, noisy machine: alternates short slices of the lock-free generator and the synchronized
 * baseline in one JVM, so that load from other processes hits both alike (JMH runs them minutes apart).
 * Not a replacement for {@link IdBenchmarkMain}; a control for it.
 * <p>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.id.InterleavedIdComparison
 * [rounds=20] [sliceMillis=250]}
 */
public final class InterleavedIdComparison {

    /** Keeps the issued ids observable so the JIT cannot drop the calls' results. */
    private static volatile long sink;

    private InterleavedIdComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
        long sliceNanos = ((args.length > 1) ? Long.parseLong(args[1]) : 250) * 1_000_000L;
        System.out.printf("%-14s %-8s %15s %15s %10s %9s%n", "sequence bits", "threads", "flotilla ids/s",
                "sync ids/s", "vs limit", "vs sync");
        for (int sequenceBits : new int[] { 12, 22 }) {
            for (int threads : new int[] { 1, 8 }) {
                compare(sequenceBits, threads, rounds, sliceNanos);
            }
        }
    }

    private static void compare(int sequenceBits, int threads, int rounds, long sliceNanos)
            throws IOException, InterruptedException {
        int nodeBits = 22 - sequenceBits;
        IdLayout layout = new IdLayout(IdLayout.DEFAULT_EPOCH.toEpochMilli(), 41, nodeBits / 2,
                nodeBits - nodeBits / 2, sequenceBits);
        SnowflakeIdGenerator flotilla = SnowflakeIdGenerator.builder(layout)
            .timestampStore(new FileTimestampStore(Files.createTempDirectory("flotilla-id-ab")))
            .build();
        SynchronizedSnowflake textbook = new SynchronizedSnowflake(sequenceBits, 0);
        double flotillaTotal = 0;
        double textbookTotal = 0;
        int warmUpRounds = 2;
        for (int round = 0; round < rounds + warmUpRounds; round++) {
            double ours = rate(flotilla::next, threads, sliceNanos);
            double theirs = rate(textbook::nextId, threads, sliceNanos);
            if (round >= warmUpRounds) {
                flotillaTotal += ours;
                textbookTotal += theirs;
            }
        }
        double ours = flotillaTotal / rounds;
        double theirs = textbookTotal / rounds;
        double limit = (sequenceBits == 12) ? IdBenchmarkMain.PHYSICAL_LIMIT : 4_194_304_000.0;
        System.out.printf("%-14d %-8d %,15.0f %,15.0f %10.3f %8.2fx%n", sequenceBits, threads, ours, theirs,
                ours / limit, ours / theirs);
        flotilla.close();
    }

    private static double rate(LongSupplier generator, int threads, long sliceNanos) throws InterruptedException {
        LongAdder issued = new LongAdder();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        long end = start + sliceNanos;
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                long count = 0;
                long checksum = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 256; i++) {
                        checksum += generator.getAsLong();
                    }
                    count += 256;
                }
                sink = checksum;
                issued.add(count);
                done.countDown();
            });
        }
        done.await();
        return issued.sum() / ((System.nanoTime() - start) / 1e9);
    }
}

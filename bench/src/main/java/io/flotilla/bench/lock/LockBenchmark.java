package io.flotilla.bench.lock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop lock driver shared by the lock comparisons: each thread repeats lock, unlock on one name for a
 * fixed time and records the latency of each pair. One thread is the uncontended case; many threads on one name
 * the contended one (there a pair's latency includes the wait for the others).
 */
final class LockBenchmark {

    /** One lock implementation under test. */
    interface Target extends AutoCloseable {

        String name();

        /** Takes the lock {@code lockName}, then releases it. */
        void lockUnlock(String lockName) throws Exception;
    }

    record Result(String target, int threads, long pairs, double seconds, double p50Micros, double p99Micros) {

        double pairsPerSecond() {
            return pairs / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-10s threads=%2d pairs/s=%9.0f p50=%8.1f us p99=%8.1f us (%d pairs)",
                    target, threads, pairsPerSecond(), p50Micros, p99Micros, pairs);
        }
    }

    private LockBenchmark() {
    }

    static Result run(Target target, String lockName, int threads, double seconds) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        target.lockUnlock(lockName);
                        recorder.recordValue(System.nanoTime() - start);
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    done.countDown();
                }
            }, target.name() + "-bench-" + t);
            worker.start();
        }
        long startedAt = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(target.name() + ": workers did not stop");
        }
        double elapsed = (System.nanoTime() - startedAt) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException(target.name() + " failed", failures.get(0));
        }
        Histogram histogram = recorder.getIntervalHistogram();
        return new Result(target.name(), threads, histogram.getTotalCount(), elapsed,
                histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3);
    }

    /**
     * Runs {@code candidate} and {@code baseline} alternately for {@code rounds} rounds after a warm-up of each, and
     * prints every round and the mean ratio of pairs/s and of p99.
     */
    static Map<String, Double> compare(Target candidate, Target baseline, String scenario, int threads,
            double seconds, int rounds) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%n== %s: %d thread(s), %d rounds of %.0f s each ==%n", scenario, threads, rounds,
                seconds);
        run(candidate, scenario + "-" + candidate.name(), threads, Math.min(seconds, 3));
        run(baseline, scenario + "-" + baseline.name(), threads, Math.min(seconds, 3));
        double candidateRate = 0;
        double baselineRate = 0;
        double candidateP99 = 0;
        double baselineP99 = 0;
        for (int round = 0; round < rounds; round++) {
            // Alternate which goes first so that a drift in machine load does not favour one side.
            Target first = round % 2 == 0 ? candidate : baseline;
            Target second = round % 2 == 0 ? baseline : candidate;
            for (Target target : List.of(first, second)) {
                Result result = run(target, scenario + "-" + target.name(), threads, seconds);
                System.out.println("  round " + (round + 1) + ": " + result);
                if (target == candidate) {
                    candidateRate += result.pairsPerSecond();
                    candidateP99 += result.p99Micros();
                } else {
                    baselineRate += result.pairsPerSecond();
                    baselineP99 += result.p99Micros();
                }
            }
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        summary.put("candidatePairsPerSecond", candidateRate / rounds);
        summary.put("baselinePairsPerSecond", baselineRate / rounds);
        summary.put("candidateP99Micros", candidateP99 / rounds);
        summary.put("baselineP99Micros", baselineP99 / rounds);
        System.out.printf(Locale.ROOT,
                "  mean: %s %.0f pairs/s p99 %.1f us | %s %.0f pairs/s p99 %.1f us | throughput ratio %.2fx, p99 ratio %.2fx (baseline/candidate, >1 is better)%n",
                candidate.name(), candidateRate / rounds, candidateP99 / rounds, baseline.name(), baselineRate / rounds,
                baselineP99 / rounds, candidateRate / baselineRate, baselineP99 / candidateP99);
        return summary;
    }
}

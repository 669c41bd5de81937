package io.flotilla.bench.id;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link IdGeneratorBenchmark} (both generators, 1 and 8 threads, one JMH run) and prints each score as a
 * ratio of the physical limit of one worker (4,096 ids per millisecond) and of the synchronized baseline.
 * Accepts JMH's own options, e.g. {@code -f 1 -wi 2 -i 3 -r 2s}.
 */
public final class IdBenchmarkMain {

    /** One worker's ceiling: 2^12 sequence numbers per millisecond. */
    static final double PHYSICAL_LIMIT = 4_096_000.0;

    private IdBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(new CommandLineOptions(args))
            .include(IdGeneratorBenchmark.class.getName() + ".*");
        Collection<RunResult> results = new Runner(options.build()).run();

        Map<String, Double> scores = new HashMap<>();
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            scores.put(method.substring(method.lastIndexOf('.') + 1) + "/" + result.getParams().getParam("sequenceBits"),
                    result.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.printf("%-14s %-8s %15s %15s %10s %9s%n", "sequence bits", "threads", "flotilla ids/s",
                "sync ids/s", "vs limit", "vs sync");
        for (String bits : new String[] { "12", "22" }) {
            row(scores, bits, "1", "flotilla1Thread", "synchronized1Thread");
            row(scores, bits, "8", "flotilla8Threads", "synchronized8Threads");
        }
        System.out.printf("vs limit: against one worker's physical limit with 12 sequence bits, %,.0f ids/s"
                + " (4096 per ms); 22 bits lift the limit to %,.0f ids/s%n", PHYSICAL_LIMIT, 4_194_304_000.0);
    }

    private static void row(Map<String, Double> scores, String sequenceBits, String threads, String flotilla,
            String baseline) {
        double ours = scores.getOrDefault(flotilla + "/" + sequenceBits, Double.NaN);
        double theirs = scores.getOrDefault(baseline + "/" + sequenceBits, Double.NaN);
        double limit = "12".equals(sequenceBits) ? PHYSICAL_LIMIT : 4_194_304_000.0;
        System.out.printf("%-14s %-8s %,15.0f %,15.0f %10.3f %8.2fx%n", sequenceBits, threads, ours, theirs,
                ours / limit, ours / theirs);
    }
}

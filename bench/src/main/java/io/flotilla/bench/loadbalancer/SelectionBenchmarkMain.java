package io.flotilla.bench.loadbalancer;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link SelectionBenchmark} (JMH options from the command line, e.g. {@code -f 1 -wi 2 -i 3 -r 1s})
 * and {@link CoreSelectionBenchmark}, then prints a table of ns per selection with the ratio to Spring
 * Cloud's RoundRobinLoadBalancer measured in the same run (ratio &lt; 1 means cheaper than Spring's round
 * robin), and a table of the core selection cost alone.
 */
public final class SelectionBenchmarkMain {

    private SelectionBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Options options = new OptionsBuilder().parent(new CommandLineOptions(args))
            .include(SelectionBenchmark.class.getName())
            .include(CoreSelectionBenchmark.class.getName())
            .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Map<Integer, Double>> table = new TreeMap<>();
        Map<String, Map<Integer, Double>> core = new TreeMap<>();
        for (RunResult result : results) {
            String algorithm = result.getParams().getParam("algorithm");
            int instances = Integer.parseInt(result.getParams().getParam("instances"));
            boolean isCore = result.getParams().getBenchmark().contains(CoreSelectionBenchmark.class.getSimpleName());
            (isCore ? core : table).computeIfAbsent(algorithm, key -> new TreeMap<>())
                .put(instances, result.getPrimaryResult().getScore());
        }
        Map<Integer, Double> baseline = table.get(SelectionBenchmark.SPRING_ROUND_ROBIN);
        StringBuilder out = new StringBuilder();
        out.append("\nchoose(request) through Spring Cloud LoadBalancer, ns per selection (ratio to Spring's RoundRobinLoadBalancer)\n");
        out.append("\n| algorithm | 3 instances: ns (x Spring RR) | 30 instances: ns (x Spring RR) | 300 instances: ns (x Spring RR) |\n");
        out.append("|---|---|---|---|\n");
        table.forEach((algorithm, byInstances) -> {
            out.append("| ").append(algorithm);
            for (int instances : new int[] {3, 30, 300}) {
                Double score = byInstances.get(instances);
                Double base = baseline == null ? null : baseline.get(instances);
                out.append(" | ");
                if (score != null) {
                    out.append(String.format("%.0f", score));
                    if (base != null) {
                        out.append(String.format(" (%.2fx)", score / base));
                    }
                }
            }
            out.append(" |\n");
        });
        out.append("\nSpring-free core select() alone, ns per selection\n\n| algorithm | 3 | 30 | 300 |\n|---|---|---|---|\n");
        core.forEach((algorithm, byInstances) -> {
            out.append("| ").append(algorithm);
            for (int instances : new int[] {3, 30, 300}) {
                Double score = byInstances.get(instances);
                out.append(" | ").append(score == null ? "" : String.format("%.1f", score));
            }
            out.append(" |\n");
        });
        System.out.println(out);
    }
}

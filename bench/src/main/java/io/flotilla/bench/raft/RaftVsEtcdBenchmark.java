package io.flotilla.bench.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flotilla's Raft library against etcd under the same closed-loop put load, at each client count.
 *
 * <pre>
 * --etcd=http://127.0.0.1:23791,...   etcd client endpoints (a running 3-member cluster)
 * --data-dir=/tmp/x                    where the 3 Flotilla nodes keep their data (fsync on)
 * --clients=1,16,256                   client counts
 * --seconds=10                         measured seconds per point (after a warm-up of a third of that, at least 2 s)
 * --value-bytes=100                    size of each value
 * </pre>
 *
 * Started by {@code bench/raft-vs-etcd.sh}, which also runs the etcd cluster.
 */
public final class RaftVsEtcdBenchmark {

    private RaftVsEtcdBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Before the first logger exists; Logback's default would log Netty, gRPC and Vert.x at DEBUG.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/flotilla/bench/raft/logback-raft-vs-etcd.xml");
        }
        Map<String, String> options = parse(args);
        String[] endpoints = require(options, "etcd").split(",");
        Path dataDir = Path.of(require(options, "data-dir"));
        int[] clientCounts = Arrays.stream(options.getOrDefault("clients", "1,16,256").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        Duration warmup = Duration.ofMillis(Math.max(2000, measure.toMillis() / 3));
        int valueBytes = Integer.parseInt(options.getOrDefault("value-bytes", "100"));
        Files.createDirectories(dataDir);

        List<ClosedLoopDriver.Result> results = new ArrayList<>();
        List<String> fsyncNotes = new ArrayList<>();
        try (EtcdTarget etcd = EtcdTarget.connect(Duration.ofSeconds(30), endpoints);
             FlotillaRaftTarget flotilla = FlotillaRaftTarget.start(dataDir, Duration.ofSeconds(30))) {
            for (int clients : clientCounts) {
                results.add(new ClosedLoopDriver(etcd, clients, valueBytes).run(warmup, measure));
                print(results.getLast());

                Map<String, FlotillaRaftTarget.SyncStats> syncsBefore = flotilla.syncStats();
                long commitBefore = flotilla.commitIndex();
                results.add(new ClosedLoopDriver(flotilla, clients, valueBytes).run(warmup, measure));
                print(results.getLast());
                long committed = flotilla.commitIndex() - commitBefore;
                FlotillaRaftTarget.SyncStats leaderSyncs = flotilla.syncStats().get(flotilla.leaderId())
                        .minus(syncsBefore.get(flotilla.leaderId()));
                fsyncNotes.add(String.format("%4d clients: leader %s wrote %d entries with %d fsyncs (%.1f entries"
                                + " per fsync, mean fsync %.2f ms)", clients, flotilla.leaderId(), committed,
                        leaderSyncs.syncs(), committed / (double) Math.max(1, leaderSyncs.syncs()),
                        leaderSyncs.nanos() / 1e6 / Math.max(1, leaderSyncs.syncs())));
                System.out.println(fsyncNotes.getLast());
            }
        }
        System.out.println();
        System.out.println(table(results));
        System.out.println("Flotilla fsync batching (warm-up and measured run together):");
        fsyncNotes.forEach(note -> System.out.println("  " + note));
        System.out.println();
        System.out.println("Caveat: Flotilla's clients call the leader's RaftNode in-process; etcd's clients go"
                + " through jetcd over gRPC on loopback (to any member; followers forward to the leader). Both"
                + " replicate to 3 members over loopback TCP with fsync on. Machine: "
                + Runtime.getRuntime().availableProcessors() + " cores, load average " + loadAverage() + ".");
    }

    static String table(List<ClosedLoopDriver.Result> results) {
        StringBuilder table = new StringBuilder();
        table.append("| target | clients | ops/s | p50 ms | p99 ms | errors | Flotilla/etcd ops/s |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|\n");
        Map<Integer, Double> etcdThroughput = new HashMap<>();
        results.stream().filter(result -> result.target().equals("etcd"))
                .forEach(result -> etcdThroughput.put(result.clients(), result.opsPerSecond()));
        for (ClosedLoopDriver.Result result : results) {
            Double etcd = etcdThroughput.get(result.clients());
            String ratio = result.target().equals("flotilla") && etcd != null && etcd > 0
                    ? String.format("%.2f", result.opsPerSecond() / etcd) : "";
            table.append(String.format("| %s | %d | %.0f | %.2f | %.2f | %d | %s |%n", result.target(),
                    result.clients(), result.opsPerSecond(), result.p50Millis(), result.p99Millis(), result.errors(),
                    ratio));
        }
        return table.toString();
    }

    private static void print(ClosedLoopDriver.Result result) {
        System.out.printf("%-8s %4d clients: %8.0f ops/s, p50 %.2f ms, p99 %.2f ms, %d errors%n", result.target(),
                result.clients(), result.opsPerSecond(), result.p50Millis(), result.p99Millis(), result.errors());
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing --" + name + "=...");
        }
        return value;
    }
}

package io.flotilla.bench.tx;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two coordinators side by side (A = the build under test, B = a baseline build, for example main's), each on its
 * own port, driven in alternating rounds (A, B, A, B, …) so both see the same machine load: empty global
 * transactions ({@code POST /v1/transactions} + {@code POST …/commit}, the Seata comparison) at each
 * client count, closed loop, one JDK {@code HttpClient} per target as in {@link CoordinatorCeilingDriver}.
 * Prints per round and a summary with A/B. Each point runs a fixed time and stops.
 * <p>
 * With {@code -Dab.pidA=<pid> -Dab.pidB=<pid>} (the two coordinator processes) it also prints each server's CPU time
 * per transaction ({@code utime + stime} from {@code /proc/<pid>/stat} around each point): unlike tx/s, that figure
 * barely depends on how much of the machine other jobs take.
 * <p>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.tx.CoordinatorAbDriver
 * <urlA> <urlB> [seconds=10] [clients=1,8,32] [rounds=2] [warmupSeconds=15]}
 */
public final class CoordinatorAbDriver {

    private static final Pattern XID = Pattern.compile("\"xid\"\\s*:\\s*\"([^\"]+)\"");

    private CoordinatorAbDriver() {
    }

    public static void main(String[] args) throws Exception {
        String urlA = args[0];
        String urlB = args[1];
        Duration duration = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 10);
        int[] clients = Arrays.stream((args.length > 3 ? args[3] : "1,8,32").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        Duration warmup = Duration.ofSeconds(args.length > 5 ? Long.parseLong(args[5]) : 15);
        for (String url : List.of(urlA, urlB)) {
            if (!URI.create(url).getHost().matches("127\\.0\\.0\\.1|localhost")) {
                throw new IllegalArgumentException("load is only driven against loopback, got " + url);
            }
        }
        try (HttpClient clientA = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             HttpClient clientB = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Target a = new Target("A", clientA, urlA, Long.getLong("ab.pidA", 0));
            Target b = new Target("B", clientB, urlB, Long.getLong("ab.pidB", 0));
            for (Target target : List.of(a, b)) {
                System.out.printf("warm-up %s: %,d transactions%n", target.name,
                        run(target, warmup, 32).ok);
            }
            double[][] sums = new double[clients.length][2];
            double[][] cpu = new double[clients.length][2];
            for (int round = 1; round <= rounds; round++) {
                for (int c = 0; c < clients.length; c++) {
                    // Alternate which side goes first so neither always runs right after the other's load.
                    List<Target> order = round % 2 == 1 ? List.of(a, b) : List.of(b, a);
                    for (Target target : order) {
                        long cpuBefore = target.cpuMillis();
                        Phase phase = run(target, duration, clients[c]);
                        double cpuMicrosPerTx = (target.cpuMillis() - cpuBefore) * 1000.0 / Math.max(1, phase.ok);
                        sums[c][target == a ? 0 : 1] += phase.perSecond();
                        cpu[c][target == a ? 0 : 1] += cpuMicrosPerTx;
                        System.out.printf("round %d  %-2s clients %3d  %,9.0f tx/s  p50 %7.2f ms  p99 %7.2f ms"
                                        + "  errors %d  server CPU %,6.0f us/tx  load %s%n", round, target.name,
                                clients[c], phase.perSecond(), phase.latency.getValueAtPercentile(50) / 1e6,
                                phase.latency.getValueAtPercentile(99) / 1e6, phase.failed, cpuMicrosPerTx,
                                loadAverage());
                    }
                }
            }
            System.out.println();
            System.out.printf("%-8s %12s %12s %8s %14s %14s%n", "clients", "A tx/s", "B tx/s", "A/B", "A CPU us/tx",
                    "B CPU us/tx");
            for (int c = 0; c < clients.length; c++) {
                double meanA = sums[c][0] / rounds;
                double meanB = sums[c][1] / rounds;
                System.out.printf("%-8d %,12.0f %,12.0f %7.2fx %,14.0f %,14.0f%n", clients[c], meanA, meanB,
                        meanA / meanB, cpu[c][0] / rounds, cpu[c][1] / rounds);
            }
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static Phase run(Target target, Duration duration, int concurrency) throws Exception {
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        List<Histogram> histograms = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                Histogram histogram = new Histogram(60_000_000_000L, 3);
                histograms.add(histogram);
                threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long began = System.nanoTime();
                        boolean success;
                        try {
                            success = target.emptyTransaction();
                        } catch (Exception e) {
                            success = false;
                        }
                        if (success) {
                            ok.increment();
                            histogram.recordValue(Math.min(System.nanoTime() - began, 60_000_000_000L));
                        } else {
                            failed.increment();
                        }
                    }
                });
            }
        }
        Histogram all = new Histogram(60_000_000_000L, 3);
        histograms.forEach(all::add);
        return new Phase(ok.sum(), failed.sum(), (System.nanoTime() - start) / 1e9, all);
    }

    private record Phase(long ok, long failed, double seconds, Histogram latency) {
        double perSecond() {
            return ok / seconds;
        }
    }

    private record Target(String name, HttpClient client, String baseUrl, long pid) {

        /** The process's user + system CPU time in ms, 0 without a pid. */
        long cpuMillis() {
            if (pid == 0) {
                return 0;
            }
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // After the command: state is field 0, utime 11, stime 12, in clock ticks (100 per second on Linux).
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        boolean emptyTransaction() throws Exception {
            HttpResponse<String> begun = post(baseUrl + "/v1/transactions", "{\"mode\":\"TCC\",\"timeoutMs\":60000}");
            if (begun.statusCode() != 201) {
                return false;
            }
            Matcher xid = XID.matcher(begun.body());
            return xid.find() && post(baseUrl + "/v1/transactions/" + xid.group(1) + "/commit", "").statusCode() == 200;
        }

        private HttpResponse<String> post(String url, String json) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}

package io.flotilla.bench.tx;

import io.flotilla.bench.profile.CpuOwners;
import io.flotilla.bench.profile.MachineCpu;
import io.flotilla.bench.profile.PhaseProfiler;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.core.HttpCoordinatorClient;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.core.XidContext;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Global transactions/s and latency with two participants over HTTP on loopback, each mode against a baseline
 * of the same two calls without a global transaction, all phases in one run:
 * <ul>
 *   <li>{@code plain}: debit on participant A, credit on participant B, each a local autocommit update;</li>
 *   <li>{@code tcc}: begin, try-debit on A, try-credit on B (each registers its branch and writes its fence row),
 *       commit; the coordinator confirms both branches asynchronously, which also loads the machine;</li>
 *   <li>{@code xa}: begin, XA debit on A and XA credit on B (register, XA START, update, XA END, XA PREPARE),
 *       commit; the coordinator commits both branches asynchronously;</li>
 *   <li>{@code empty}: begin and commit with no branch: the coordinator's own ceiling.</li>
 * </ul>
 * The participants are the tx starter's test ledger ({@code io.flotilla.tx.it.ledger.LedgerApplication}), see
 * docs/benchmarks.md for how to start them.
 * <p>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.tx.TxOverheadDriver
 * coordinatorUrl participantAUrl participantBUrl [seconds=15] [concurrency=8] [accounts=64]}
 * <p>
 * {@code -Dtx.processes=coordinator=<pid>,bank-a=<pid>,bank-b=<pid>} (bench/scripts/tx-bench.sh passes it) adds the
 * CPU those processes spent per transaction in each measured phase, and the ratio of the plain pair's CPU to each
 * mode's: unlike tx/s, that ratio does not depend on how much of the machine other jobs take, and on a CPU-bound
 * machine it is the throughput ratio. Each measured phase also prints the machine's CPU per transaction (every
 * process and the kernel: the databases and this driver too), from {@code /proc/stat}.
 * <p>
 * {@code -Dtx.profiler=<libasyncProfiler.so>} (tx-bench.sh's {@code FLOTILLA_BENCH_PROFILE}) also profiles those
 * processes in each measured phase ({@link PhaseProfiler}, files in {@code -Dtx.profileDir}, default
 * {@code tx-profiles}) and prints each profile's samples by owner ({@link CpuOwners}): which share of a process's
 * CPU this project's code spends, and which share Tomcat, the JDBC driver, the JDK or the JVM does.
 */
public final class TxOverheadDriver {

    private TxOverheadDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: coordinatorUrl participantAUrl participantBUrl [seconds] [concurrency] [accounts]");
        }
        URI coordinator = loopback(args[0]);
        URI bankA = loopback(args[1]);
        URI bankB = loopback(args[2]);
        Duration duration = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 15);
        int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        int accounts = args.length > 5 ? Integer.parseInt(args[5]) : 64;

        HttpCoordinatorClient client = new HttpCoordinatorClient(List.of(coordinator), Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        GlobalTransactionTemplate template = new GlobalTransactionTemplate(client, Duration.ofSeconds(30),
                TransactionListener.NONE);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < accounts; i++) {
                send(http, bankA, "PUT", "/ledger/accounts/bench-a" + i + "?balance=1000000000");
                send(http, bankB, "PUT", "/ledger/accounts/bench-b" + i + "?balance=0");
            }
            Work plain = () -> {
                int a = ThreadLocalRandom.current().nextInt(accounts);
                send(http, bankA, "POST", "/ledger/plain/bench-a" + a + "/debit?amount=1");
                send(http, bankB, "POST", "/ledger/plain/bench-b" + a + "/credit?amount=1");
            };
            Work tcc = () -> template.execute(TransactionMode.TCC, tx -> {
                int a = ThreadLocalRandom.current().nextInt(accounts);
                send(http, bankA, "POST", "/ledger/tcc/bench-a" + a + "/debit?amount=1");
                send(http, bankB, "POST", "/ledger/tcc/bench-b" + a + "/credit?amount=1");
                return null;
            });
            Work xa = () -> template.execute(TransactionMode.XA, tx -> {
                int a = ThreadLocalRandom.current().nextInt(accounts);
                send(http, bankA, "POST", "/ledger/xa/bench-a" + a + "/debit?amount=1");
                send(http, bankB, "POST", "/ledger/xa/bench-b" + a + "/credit?amount=1");
                return null;
            });
            Work empty = () -> template.execute(TransactionMode.TCC, tx -> null);

            Duration warmUp = Duration.ofSeconds(Math.max(3, duration.toSeconds() / 3));
            for (Work work : List.of(plain, tcc, xa, empty)) {
                run(work, warmUp, concurrency);
            }
            Map<String, ProcessHandle> processes = processes(System.getProperty("tx.processes", ""));
            Map<String, URI> served = Boolean.getBoolean("tx.requests")
                    ? orderedMap("coordinator", coordinator, "bank-a", bankA, "bank-b", bankB) : Map.of();
            PhaseProfiler profiler = profiler(processes);
            List<String> profiles = new ArrayList<>();
            Result plainResult = counted(served, profiled(profiler, "plain", profiles,
                    () -> run(plain, duration, concurrency, processes)));
            Result tccResult = counted(served, profiled(profiler, "tcc", profiles,
                    () -> run(tcc, duration, concurrency, processes)));
            Result xaResult = counted(served, profiled(profiler, "xa", profiles,
                    () -> run(xa, duration, concurrency, processes)));
            Result emptyResult = counted(served, profiled(profiler, "empty", profiles,
                    () -> run(empty, duration, concurrency, processes)));

            System.out.println();
            System.out.printf("concurrency %d, %d s per phase, %d account pairs, coordinator %s%n", concurrency,
                    duration.toSeconds(), accounts, coordinator);
            System.out.printf("%-34s %10s %9s %9s %8s %12s %14s %16s%n", "phase", "tx/s", "p50 ms", "p99 ms", "errors",
                    "vs plain", "CPU ms/tx", "vs plain by CPU");
            print("plain: 2 calls, no global tx", plainResult, plainResult);
            print("TCC: begin + 2 tries + commit", tccResult, plainResult);
            print("XA: begin + 2 prepares + commit", xaResult, plainResult);
            print("empty global tx (begin+commit)", emptyResult, null);
            profiles.forEach(System.out::println);
        }
    }

    /** The profiler {@code -Dtx.profiler} asks for, over the counted processes; null without it. */
    private static PhaseProfiler profiler(Map<String, ProcessHandle> processes) throws IOException {
        String agent = System.getProperty("tx.profiler", "");
        if (agent.isBlank()) {
            return null;
        }
        if (processes.isEmpty()) {
            throw new IllegalArgumentException("-Dtx.profiler needs -Dtx.processes: the processes to profile");
        }
        return new PhaseProfiler(Path.of(agent), Path.of(System.getProperty("tx.profileDir", "tx-profiles")),
                processes);
    }

    /** Runs {@code phase} under {@code profiler} (when there is one) and adds each process's owner table. */
    private static Phase profiled(PhaseProfiler profiler, String name, List<String> profiles, Phase phase) {
        if (profiler == null) {
            return phase;
        }
        return () -> {
            try {
                profiler.start(name);
                Map<String, Path> files;
                Result result;
                try {
                    result = phase.run();
                } finally {
                    files = profiler.stop(name); // also when the phase fails: the profiler would stay in the servers
                }
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    profiles.add(CpuOwners.format(name + ", " + file.getKey() + " (" + file.getValue() + ")",
                            CpuOwners.attribute(file.getValue())));
                }
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Map<String, URI> orderedMap(String n1, URI u1, String n2, URI u2, String n3, URI u3) {
        Map<String, URI> map = new LinkedHashMap<>();
        map.put(n1, u1);
        map.put(n2, u2);
        map.put(n3, u3);
        return map;
    }

    @FunctionalInterface
    private interface Phase {
        Result run() throws InterruptedException;
    }

    /**
     * Runs the phase and, with {@code -Dtx.requests=true}, adds the HTTP requests each process served meanwhile (its
     * {@code http_server_requests} meter; needs the Prometheus endpoint exposed on the participants). Phase two runs
     * after the commit, so a few of a phase's last confirms are counted in the next one.
     */
    private static Result counted(Map<String, URI> served, Phase phase) throws InterruptedException {
        Map<String, Double> before = requests(served);
        Result result = phase.run();
        Map<String, Double> after = requests(served);
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((name, count) -> delta.put(name, count - before.getOrDefault(name, 0.0)));
        return new Result(result.ok(), result.failed(), result.seconds(), result.histogram(), result.cpuMillis(),
                result.machineCpuMillis(), delta);
    }

    private static Map<String, Double> requests(Map<String, URI> served) {
        Map<String, Double> counts = new LinkedHashMap<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (Map.Entry<String, URI> process : served.entrySet()) {
                try {
                    String text = http.send(HttpRequest.newBuilder(process.getValue().resolve("/actuator/prometheus"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
                    double total = 0;
                    for (String line : text.split("\n")) {
                        if (line.startsWith("http_server_requests_seconds_count{") && !line.contains("/actuator/")) {
                            total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        }
                    }
                    counts.put(process.getKey(), total);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    System.out.println("    (no request counts from " + process.getKey() + ": " + e + ")");
                }
            }
        }
        return counts;
    }

    private static void print(String name, Result result, Result baseline) {
        boolean cpu = !result.cpuMillis().isEmpty();
        System.out.printf("%-34s %,10.0f %9.2f %9.2f %8d %12s %14s %16s%n", name, result.perSecond(),
                result.histogram().getValueAtPercentile(50) / 1e6, result.histogram().getValueAtPercentile(99) / 1e6,
                result.failed(), baseline == null ? "" : String.format("%.2fx", result.perSecond() / baseline.perSecond()),
                cpu ? String.format("%.2f", result.cpuMillisPerTx()) : "",
                cpu && baseline != null ? String.format("%.2fx", baseline.cpuMillisPerTx() / result.cpuMillisPerTx()) : "");
        if (cpu) {
            StringBuilder each = new StringBuilder("    CPU ms/tx:");
            result.cpuMillis().forEach((process, millis) -> each.append(String.format(" %s %.2f", process,
                    millis / Math.max(1, result.ok()))));
            System.out.println(each);
        }
        if (cpu && !Double.isNaN(result.machineCpuMillis())) {
            System.out.printf("    machine CPU ms/tx (every process and the kernel): %.2f%s%n",
                    result.machineCpuMillisPerTx(), baseline == null ? "" : String.format(
                            ", plain's / this phase's %.2fx", baseline.machineCpuMillisPerTx()
                                    / result.machineCpuMillisPerTx()));
        }
        if (!result.requests().isEmpty()) {
            StringBuilder each = new StringBuilder("    requests/tx:");
            double total = 0;
            for (Map.Entry<String, Double> process : result.requests().entrySet()) {
                double perTx = process.getValue() / Math.max(1, result.ok());
                total += perTx;
                each.append(String.format(" %s %.2f", process.getKey(), perTx));
            }
            System.out.println(each.append(String.format(" (total %.2f)", total)));
        }
    }

    /** {@code name=pid,...}: the processes whose CPU is counted (the driver's own is not). */
    private static Map<String, ProcessHandle> processes(String spec) {
        Map<String, ProcessHandle> processes = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] nameAndPid = entry.split("=", 2);
            processes.put(nameAndPid[0].strip(), ProcessHandle.of(Long.parseLong(nameAndPid[1].strip()))
                .orElseThrow(() -> new IllegalArgumentException("no process " + entry)));
        }
        return processes;
    }

    private static Map<String, Long> cpuNanos(Map<String, ProcessHandle> processes) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((name, process) -> cpu.put(name,
                process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)));
        return cpu;
    }

    private static URI loopback(String url) {
        URI uri = URI.create(url);
        if (!uri.getHost().matches("127\\.0\\.0\\.1|localhost")) {
            throw new IllegalArgumentException("load is only driven against loopback, got " + url);
        }
        return uri;
    }

    private static void send(HttpClient http, URI base, String method, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
        String xid = XidContext.currentXid();
        if (xid != null) {
            request.header(XidContext.XID_HEADER, xid);
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Result run(Work work, Duration duration, int concurrency) throws InterruptedException {
        return run(work, duration, concurrency, Map.of());
    }

    private static Result run(Work work, Duration duration, int concurrency, Map<String, ProcessHandle> processes)
            throws InterruptedException {
        Map<String, Long> cpuBefore = cpuNanos(processes);
        OptionalLong machineBefore = MachineCpu.busyNanos();
        Recorder recorder = new Recorder(3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService threads = Executors.newFixedThreadPool(concurrency)) {
            for (int i = 0; i < concurrency; i++) {
                threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long began = System.nanoTime();
                        try {
                            work.run();
                            recorder.recordValue(System.nanoTime() - began);
                            ok.increment();
                        } catch (RuntimeException e) {
                            failed.increment();
                        }
                    }
                });
            }
        }
        Histogram histogram = recorder.getIntervalHistogram();
        Map<String, Double> cpuMillis = new LinkedHashMap<>();
        cpuNanos(processes).forEach((name, nanos) -> cpuMillis.put(name, (nanos - cpuBefore.get(name)) / 1e6));
        OptionalLong machineAfter = MachineCpu.busyNanos();
        double machineMillis = machineBefore.isPresent() && machineAfter.isPresent()
                ? (machineAfter.getAsLong() - machineBefore.getAsLong()) / 1e6 : Double.NaN;
        return new Result(ok.sum(), failed.sum(), (System.nanoTime() - start) / 1e9, histogram, cpuMillis,
                machineMillis, Map.of());
    }

    @FunctionalInterface
    private interface Work {
        void run();
    }

    /**
     * {@code cpuMillis}: CPU each counted process spent during the phase (the confirms it caused included);
     * {@code machineCpuMillis}: every process's and the kernel's (NaN where unknown).
     */
    private record Result(long ok, long failed, double seconds, Histogram histogram, Map<String, Double> cpuMillis,
                          double machineCpuMillis, Map<String, Double> requests) {

        double perSecond() {
            return ok / seconds;
        }

        double cpuMillisPerTx() {
            return cpuMillis.values().stream().mapToDouble(Double::doubleValue).sum() / Math.max(1, ok);
        }

        double machineCpuMillisPerTx() {
            return machineCpuMillis / Math.max(1, ok);
        }
    }
}

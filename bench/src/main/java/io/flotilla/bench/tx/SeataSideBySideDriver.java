package io.flotilla.bench.tx;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.core.HttpCoordinatorClient;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.core.XidContext;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seata beside Flotilla in one run, one closed loop, the same clients (docs/benchmarks.md, "Seata, side by side"):
 * <ul>
 *   <li>{@code empty}: begin + commit of a global transaction with no branch: on Seata through its TM API
 *       ({@code GlobalTransactionContext}/{@code DefaultGlobalTransaction}), on Flotilla through the coordinator
 *       client the starters use ({@link HttpCoordinatorClient} under {@link GlobalTransactionTemplate});</li>
 *   <li>{@code tcc}: begin, try-debit on bank A, try-credit on bank B (each branch registers with its coordinator and
 *       writes its fence row), commit. Seata's banks are {@code bench/seata/client} (Seata's starter); Flotilla's
 *       are the tx starter's test ledger. Seata's TC runs phase two before it answers the commit; Flotilla's
 *       coordinator answers first and confirms after, so on Flotilla each round also waits until nothing is left
 *       COMMITTING and counts that time in (completed/s), which is what Seata's figure means.</li>
 *   <li>{@code xa}: the same debit and credit as plain updates, each an XA branch prepared in its bank's database
 *       ({@code /ledger/xa/...}): on Seata the banks' {@code DataSourceProxyXA} ({@code seata.data-source-proxy-mode=XA}),
 *       on Flotilla the ledger's {@code @XaBranch} methods; phase two ({@code XA COMMIT}) counted in as for TCC.</li>
 *   <li>{@code plain}: the same debit and credit as plain updates ({@code /ledger/plain/...}, autocommit) on each side's
 *       own banks, no global transaction, from the same HTTP client: the baseline of #15's "TCC ≥ 0.5× of the same
 *       two plain calls", taken for both sides so that the summary also shows each side's TCC and XA against it.</li>
 * </ul>
 * Seata's client (Spring 5, Netty 4.1) is loaded from {@code --seata-classpath} in a class loader of its own with
 * the platform loader as parent, so neither side sees the other's libraries; its work comes back as
 * {@link Runnable}s. Rounds are interleaved (Seata, Flotilla, Seata, Flotilla) so both see the same load. CPU per
 * transaction is utime + stime from {@code /proc/<pid>/stat} of each named process around each phase.
 * <p>
 * After each phase (and Flotilla's drain) the driver waits until that side's servers are idle before the next phase
 * starts ({@link #settle}): work a server defers past its answer belongs to the transactions it answered, and must
 * not run in the other side's window. Seata's TC does defer some: it answers the commit of an empty global
 * transaction at once and ends the session later on one {@code AsyncCommitting} thread, each removal waiting for its
 * own synchronous flush ({@code FileTransactionStoreManager.flushDisk}), which kept it busy for 20 s after a 10 s
 * phase of 32 clients. Each row therefore has two rates: {@code tx/s} over the clients' window (and Flotilla's
 * drain of phase two, as before), and {@code with deferred} over that window plus the time to settle, with the CPU
 * of the settling counted in CPU per transaction.
 * <p>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.tx.SeataSideBySideDriver
 * --flotilla=<coordinatorUrl>[,<url>...] --flotilla-banks=<urlA>,<urlB> --seata-classpath=<file> --seata-banks=<urlA>,<urlB>
 * [--pids=name:pid,...] [--clients=1,8,32] [--seconds=10] [--rounds=2] [--accounts=64] [--phases=empty,tcc,xa]}
 * where pid names starting with {@code seata-tc}/{@code flotilla-coordinator} count as coordinator and the rest
 * starting with {@code seata-}/{@code flotilla-} as participants.
 */
public final class SeataSideBySideDriver {

    private static final Pattern MATCHING = Pattern.compile("\"matching\"\\s*:\\s*(\\d+)");
    private static final double TICKS_PER_MS = 100 / 1000.0; // USER_HZ is 100 on Linux
    /**
     * A side's servers are idle once they use less than this share of one core per process over {@link #IDLE_WINDOW}
     * (idle JVMs with their timers and Raft heartbeats use 1-4 % each here).
     */
    private static final double IDLE_SHARE_PER_PROCESS = 0.05;
    private static final Duration IDLE_WINDOW = Duration.ofMillis(500);
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(1);

    private SeataSideBySideDriver() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        // One coordinator, or every node of a three-node one (the client finds the leader, as the starters' does).
        List<URI> coordinators = Arrays.stream(required(options, "flotilla").split(",")).map(SeataSideBySideDriver::loopback).toList();
        URI coordinator = coordinators.getFirst();
        List<URI> flotillaBanks = Arrays.stream(required(options, "flotilla-banks").split(",")).map(SeataSideBySideDriver::loopback).toList();
        List<String> seataBanks = Arrays.asList(required(options, "seata-banks").split(","));
        seataBanks.forEach(SeataSideBySideDriver::loopback);
        int[] clients = Arrays.stream(options.getOrDefault("clients", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        int accounts = Integer.parseInt(options.getOrDefault("accounts", "64"));
        List<String> phases = Arrays.asList(options.getOrDefault("phases", "empty,tcc").split(","));
        Map<String, Long> pids = pids(options.getOrDefault("pids", ""));

        Seata seata = Seata.load(Path.of(required(options, "seata-classpath")), seataBanks, accounts);
        HttpCoordinatorClient client = new HttpCoordinatorClient(coordinators, Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        GlobalTransactionTemplate template = new GlobalTransactionTemplate(client, Duration.ofSeconds(60),
                TransactionListener.NONE);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < accounts; i++) {
                send(http, flotillaBanks.get(0), "PUT", "/ledger/accounts/bench-a" + i + "?balance=1000000000");
                send(http, flotillaBanks.get(1), "PUT", "/ledger/accounts/bench-b" + i + "?balance=0");
            }
            seata.openAccounts();
            Map<String, Side> sides = new LinkedHashMap<>();
            List<URI> seataBankUris = seataBanks.stream().map(URI::create).toList();
            sides.put("seata", new Side(Map.of("empty", seata.work("emptyTransaction"), "tcc", seata.work("tccTransfer"),
                    "xa", seata.work("xaTransfer"), "plain", plainTransfer(http, seataBankUris, accounts)), () -> 0));
            sides.put("flotilla", new Side(Map.of(
                    "empty", () -> template.execute(TransactionMode.TCC, tx -> null),
                    "plain", plainTransfer(http, flotillaBanks, accounts),
                    "tcc", transfer(template, TransactionMode.TCC, http, flotillaBanks, accounts),
                    "xa", transfer(template, TransactionMode.XA, http, flotillaBanks, accounts)),
                    () -> drain(http, coordinator)));

            Duration warmUp = Duration.ofSeconds(Math.max(5, duration.toSeconds() / 2));
            for (String phase : phases) {
                for (Map.Entry<String, Side> side : sides.entrySet()) {
                    Phase warm = run(side.getKey(), side.getValue(), phase, warmUp, 8, pids);
                    System.out.printf("warm-up %-8s %-5s %,8.0f tx/s, %d errors%n", side.getKey(), phase, warm.perSecond(), warm.failed);
                }
            }
            List<Row> rows = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (String phase : phases) {
                    for (int c : clients) {
                        for (Map.Entry<String, Side> side : sides.entrySet()) {
                            Phase result = run(side.getKey(), side.getValue(), phase, duration, c, pids);
                            Row row = new Row(round, side.getKey(), phase, c, result, loadAverage());
                            rows.add(row);
                            System.out.println(row.line());
                        }
                    }
                }
            }
            summary(rows, phases, clients);
            System.out.println();
            System.out.println("ledger check, Seata: " + ledgerCheck(http, seataBankUris, accounts));
            System.out.println("ledger check, Flotilla: " + ledgerCheck(http, flotillaBanks, accounts));
        } finally {
            seata.close();
        }
    }

    /**
     * Flotilla's transfer: debit on A, credit on B, as TCC tries ({@code /ledger/tcc/...}) or XA branches
     * ({@code /ledger/xa/...}, the ledger's {@code @XaBranch} methods), in a global transaction of that mode.
     */
    private static Runnable transfer(GlobalTransactionTemplate template, TransactionMode mode, HttpClient http,
            List<URI> banks, int accounts) {
        Runnable calls = debitAndCredit(http, banks, accounts, mode == TransactionMode.XA ? "xa" : "tcc");
        return () -> template.execute(mode, tx -> {
            calls.run();
            return null;
        });
    }

    /** The same debit on A and credit on B as two plain calls, no global transaction (each bank's autocommit update). */
    private static Runnable plainTransfer(HttpClient http, List<URI> banks, int accounts) {
        return debitAndCredit(http, banks, accounts, "plain");
    }

    /** Debit 1 on a random account of bank A and credit it to the same-numbered one of bank B, under /ledger/{kind}. */
    private static Runnable debitAndCredit(HttpClient http, List<URI> banks, int accounts, String kind) {
        return () -> {
            int a = ThreadLocalRandom.current().nextInt(accounts);
            send(http, banks.get(0), "POST", "/ledger/" + kind + "/bench-a" + a + "/debit?amount=1");
            send(http, banks.get(1), "POST", "/ledger/" + kind + "/bench-b" + a + "/credit?amount=1");
        };
    }

    /** Whether the phase is a global transaction with branches (TCC or XA), not the empty one or the plain calls. */
    private static boolean isTransfer(String phase) {
        return !phase.equals("empty") && !phase.equals("plain");
    }

    private static String describe(String phase) {
        return switch (phase) {
            case "empty" -> "empty global tx";
            case "plain" -> "2 plain calls";
            case "xa" -> "2-branch XA";
            default -> "2-branch TCC";
        };
    }

    private static void summary(List<Row> rows, List<String> phases, int[] clients) {
        System.out.println();
        System.out.println("| figure | clients | Seata | Flotilla | Flotilla/Seata |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String phase : phases) {
            for (int c : clients) {
                Aggregate seata = Aggregate.of(rows, "seata", phase, c);
                Aggregate flotilla = Aggregate.of(rows, "flotilla", phase, c);
                String what = describe(phase);
                System.out.printf("| %s, tx/s (rounds) | %d | %s | %s | %.2fx |%n", what, c, seata.rates(), flotilla.rates(),
                        flotilla.meanRate() / seata.meanRate());
                System.out.printf("| %s, tx/s with deferred work (rounds) | %d | %s | %s | %.2fx |%n", what, c,
                        seata.withDeferredRates(), flotilla.withDeferredRates(),
                        flotilla.meanWithDeferredRate() / seata.meanWithDeferredRate());
                System.out.printf("| %s, p50 / p99 ms | %d | %.2f / %.2f | %.2f / %.2f | %.2fx / %.2fx |%n", what, c,
                        seata.p50(), seata.p99(), flotilla.p50(), flotilla.p99(), seata.p50() / flotilla.p50(),
                        seata.p99() / flotilla.p99());
                System.out.printf("| %s, coordinator CPU ms/tx | %d | %.3f | %.3f | %.2fx |%n", what, c, seata.coordinatorCpu(),
                        flotilla.coordinatorCpu(), seata.coordinatorCpu() / flotilla.coordinatorCpu());
                if (isTransfer(phase)) {
                    System.out.printf("| %s, participants CPU ms/tx | %d | %.3f | %.3f | %.2fx |%n", what, c,
                            seata.participantCpu(), flotilla.participantCpu(), seata.participantCpu() / flotilla.participantCpu());
                }
                System.out.printf("| %s, driver CPU ms/tx | %d | %.3f | %.3f | %.2fx |%n", what, c, seata.driverCpu(),
                        flotilla.driverCpu(), seata.driverCpu() / flotilla.driverCpu());
            }
        }
        System.out.println("(latency and CPU ratios are Seata/Flotilla, so above 1.0x means Flotilla is cheaper)");
        if (phases.contains("plain")) {
            System.out.println();
            System.out.println("| each side against its own two plain calls | clients | Seata | Flotilla |");
            System.out.println("|---|---:|---:|---:|");
            for (String phase : phases) {
                if (!isTransfer(phase)) {
                    continue;
                }
                for (int c : clients) {
                    System.out.printf("| %s / 2 plain calls, tx/s | %d | %.2fx | %.2fx |%n", describe(phase), c,
                            Aggregate.of(rows, "seata", phase, c).meanRate() / Aggregate.of(rows, "seata", "plain", c).meanRate(),
                            Aggregate.of(rows, "flotilla", phase, c).meanRate()
                                    / Aggregate.of(rows, "flotilla", "plain", c).meanRate());
                }
            }
        }
    }

    /** One side's work per phase, and what to wait for after a phase before its CPU is read. */
    private record Side(Map<String, Runnable> work, Drain drain) {
    }

    @FunctionalInterface
    private interface Drain {
        double await() throws Exception;
    }

    private static Phase run(String sideName, Side side, String phase, Duration duration, int concurrency,
            Map<String, Long> pids) throws Exception {
        Runnable work = side.work().get(phase);
        Recorder recorder = new Recorder(3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        Map<String, Long> cpuBefore = cpu(pids);
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<String> firstError = new ArrayList<>();
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
                            synchronized (firstError) {
                                if (firstError.isEmpty()) {
                                    firstError.add(String.valueOf(e));
                                }
                            }
                        }
                    }
                });
            }
        }
        double loopSeconds = (System.nanoTime() - start) / 1e9;
        double drained = side.drain().await();
        double settled = settle(sideName, pids);
        Map<String, Long> cpuAfter = cpu(pids);
        Map<String, Long> ticks = new LinkedHashMap<>();
        cpuAfter.forEach((name, after) -> ticks.put(name, after - cpuBefore.getOrDefault(name, after)));
        if (!firstError.isEmpty()) {
            System.out.println("  first error: " + firstError.getFirst());
        }
        return new Phase(ok.sum(), failed.sum(), loopSeconds + drained, drained, settled,
                recorder.getIntervalHistogram(), ticks);
    }

    /**
     * Waits until the servers of one side (its processes named {@code <side>-...}) have been idle for two windows in
     * a row; the seconds until the first of them began. A side still busy after {@link #SETTLE_LIMIT} is reported
     * and counted with that time, and the run goes on.
     */
    private static double settle(String side, Map<String, Long> pids) throws Exception {
        Map<String, Long> own = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            if (name.startsWith(side + "-")) {
                own.put(name, pid);
            }
        });
        long start = System.nanoTime();
        long deadline = start + SETTLE_LIMIT.toNanos();
        long idleTicks = Math.round(IDLE_SHARE_PER_PROCESS * own.size() * IDLE_WINDOW.toMillis() * TICKS_PER_MS);
        long idleSince = -1;
        long before = sideTicks(own);
        while (System.nanoTime() < deadline) {
            long windowStart = System.nanoTime();
            Thread.sleep(IDLE_WINDOW);
            long after = sideTicks(own);
            if (after - before <= idleTicks) {
                if (idleSince >= 0) {
                    return (idleSince - start) / 1e9;
                }
                idleSince = windowStart;
            } else {
                idleSince = -1;
            }
            before = after;
        }
        System.out.printf("  %s's servers were still busy %d s after the phase; counted as settled then%n", side,
                SETTLE_LIMIT.toSeconds());
        return (System.nanoTime() - start) / 1e9;
    }

    private static long sideTicks(Map<String, Long> own) throws IOException {
        long sum = 0;
        for (long pid : own.values()) {
            sum += ticks(Path.of("/proc", String.valueOf(pid), "stat"));
        }
        return sum;
    }

    private record Phase(long ok, long failed, double seconds, double drainSeconds, double settleSeconds,
                         Histogram histogram, Map<String, Long> cpuTicks) {

        double perSecond() {
            return ok / seconds;
        }

        /** Including the time the side's servers took to finish what they deferred past the clients' window. */
        double withDeferredPerSecond() {
            return ok / (seconds + settleSeconds);
        }

        /** CPU ms per transaction of the processes of one side whose name starts with one of the prefixes. */
        double cpuPerTx(String side, boolean coordinator) {
            long ticks = 0;
            for (Map.Entry<String, Long> e : cpuTicks.entrySet()) {
                String name = e.getKey();
                if (!name.startsWith(side + "-")) {
                    continue;
                }
                boolean isCoordinator = name.startsWith("seata-tc") || name.startsWith("flotilla-coordinator");
                if (isCoordinator == coordinator) {
                    ticks += e.getValue();
                }
            }
            return ok == 0 ? Double.NaN : ticks / TICKS_PER_MS / ok;
        }

        double driverCpuPerTx() {
            return ok == 0 ? Double.NaN : cpuTicks.getOrDefault("driver", 0L) / TICKS_PER_MS / ok;
        }
    }

    private record Row(int round, String side, String phase, int clients, Phase result, String load) {

        String line() {
            return String.format("round %d %-8s %-5s clients %2d: %,8.0f tx/s (with deferred %,8.0f)  p50 %7.2f ms  "
                            + "p99 %7.2f ms  errors %d  drain %.2f s  settle %.2f s  "
                            + "CPU ms/tx coordinator %.3f participants %.3f driver %.3f  load %s",
                    round, side, phase, clients, result.perSecond(), result.withDeferredPerSecond(),
                    result.histogram.getValueAtPercentile(50) / 1e6, result.histogram.getValueAtPercentile(99) / 1e6,
                    result.failed, result.drainSeconds, result.settleSeconds,
                    result.cpuPerTx(side, true), result.cpuPerTx(side, false), result.driverCpuPerTx(), load);
        }
    }

    private record Aggregate(List<Row> rows) {

        static Aggregate of(List<Row> all, String side, String phase, int clients) {
            return new Aggregate(all.stream().filter(r -> r.side.equals(side) && r.phase.equals(phase) && r.clients == clients).toList());
        }

        String rates() {
            return String.join(" / ", rows.stream().map(r -> String.format("%,.0f", r.result.perSecond())).toList());
        }

        double meanRate() {
            return rows.stream().mapToDouble(r -> r.result.perSecond()).average().orElse(Double.NaN);
        }

        String withDeferredRates() {
            return String.join(" / ", rows.stream().map(r -> String.format("%,.0f", r.result.withDeferredPerSecond())).toList());
        }

        double meanWithDeferredRate() {
            return rows.stream().mapToDouble(r -> r.result.withDeferredPerSecond()).average().orElse(Double.NaN);
        }

        private Histogram merged() {
            Histogram all = new Histogram(3);
            rows.forEach(r -> all.add(r.result.histogram));
            return all;
        }

        double p50() {
            return merged().getValueAtPercentile(50) / 1e6;
        }

        double p99() {
            return merged().getValueAtPercentile(99) / 1e6;
        }

        private double cpu(java.util.function.ToDoubleFunction<Row> perRow) {
            long ok = rows.stream().mapToLong(r -> r.result.ok).sum();
            return rows.stream().mapToDouble(r -> perRow.applyAsDouble(r) * r.result.ok).sum() / ok;
        }

        double coordinatorCpu() {
            return cpu(r -> r.result.cpuPerTx(r.side, true));
        }

        double participantCpu() {
            return cpu(r -> r.result.cpuPerTx(r.side, false));
        }

        double driverCpu() {
            return cpu(r -> r.result.driverCpuPerTx());
        }
    }

    /** Seata's TM side, loaded from its own class path ({@code bench/seata/client}). */
    private record Seata(URLClassLoader loader, Object work) {

        static Seata load(Path classPathFile, List<String> banks, int accounts) throws Exception {
            List<URL> urls = new ArrayList<>();
            for (String entry : Files.readString(classPathFile).trim().split(java.io.File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            URLClassLoader loader = new URLClassLoader("seata-client", urls.toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader());
            return withLoader(loader, () -> new Seata(loader, loader.loadClass("io.flotilla.bench.seata.SeataWork")
                    .getConstructor(String.class, String.class, String.class, String.class, int.class)
                    .newInstance("seata-bench-tm", "default_tx_group", banks.get(0), banks.get(1), accounts)));
        }

        void openAccounts() throws Exception {
            withLoader(loader, () -> work.getClass().getMethod("openAccounts").invoke(work));
        }

        /** The Runnable runs with Seata's loader as context loader, as Seata's SPI lookups expect. */
        Runnable work(String name) throws Exception {
            Runnable inner = (Runnable) work.getClass().getMethod(name).invoke(work);
            return () -> {
                Thread thread = Thread.currentThread();
                ClassLoader previous = thread.getContextClassLoader();
                thread.setContextClassLoader(loader);
                try {
                    inner.run();
                } finally {
                    thread.setContextClassLoader(previous);
                }
            };
        }

        void close() throws IOException {
            loader.close();
        }

        private static <T> T withLoader(ClassLoader loader, java.util.concurrent.Callable<T> action) throws Exception {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                return action.call();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    private static final Pattern LEDGER_ROW = Pattern.compile(
            "\"balance\"\\s*:\\s*(\\d+)\\s*,\\s*\"frozen\"\\s*:\\s*(\\d+)\\s*,\\s*\"incoming\"\\s*:\\s*(\\d+)");

    /**
     * After the run every transfer must be whole on both sides: nothing left frozen or incoming, and the money of
     * the account pairs (A opened with 10^9 each, B with 0) neither made nor lost.
     */
    private static String ledgerCheck(HttpClient http, List<URI> banks, int accounts) throws Exception {
        long balance = 0;
        long pending = 0;
        int rows = 0;
        for (URI bank : banks) {
            String body = http.send(HttpRequest.newBuilder(bank.resolve("/ledger/accounts")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher row = LEDGER_ROW.matcher(body);
            while (row.find()) {
                rows++;
                balance += Long.parseLong(row.group(1));
                pending += Long.parseLong(row.group(2)) + Long.parseLong(row.group(3));
            }
        }
        boolean whole = rows == 2 * accounts && pending == 0 && balance == accounts * 1_000_000_000L;
        return (whole ? "OK" : "NOT WHOLE") + " (" + rows + " accounts, balance sum " + balance + ", frozen + incoming "
                + pending + ")";
    }

    /** Waits until Flotilla's coordinator has no transaction COMMITTING; the seconds it took. */
    private static double drain(HttpClient http, URI coordinator) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(
                    coordinator.resolve("/v1/transactions?status=COMMITTING&limit=1")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher matching = MATCHING.matcher(list.body());
            if (list.statusCode() == 200 && matching.find() && Long.parseLong(matching.group(1)) == 0) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("phase two did not drain within 2 minutes");
    }

    /** utime + stime in clock ticks of each named process, and of this driver as "driver". */
    private static Map<String, Long> cpu(Map<String, Long> pids) throws IOException {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (Map.Entry<String, Long> pid : pids.entrySet()) {
            ticks.put(pid.getKey(), ticks(Path.of("/proc", String.valueOf(pid.getValue()), "stat")));
        }
        ticks.put("driver", ticks(Path.of("/proc/self/stat")));
        return ticks;
    }

    private static long ticks(Path stat) throws IOException {
        String content = Files.readString(stat);
        // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
        String[] fields = content.substring(content.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static Map<String, Long> pids(String spec) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (!entry.isBlank()) {
                String[] parts = entry.split(":");
                pids.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return pids;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
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
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.flotilla.bench.tx;

import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The participant's side of phase two alone: two participants (A and B, e.g. the tx starter's test ledger with
 * {@code flotilla.tx.participant.hot-path} on and off, or two builds) sent the coordinator's call, signed as the
 * coordinator signs it, in alternating rounds so both see the same machine load. Each call is a TCC cancel of a
 * fresh branch ({@code POST /flotilla/tx/tcc/<resource>/cancel}): the signature check, the fence row of an empty
 * rollback in one local transaction, the JSON answer. Prints calls/s and the participant's CPU per call
 * ({@code utime + stime} of {@code /proc/<pid>/stat} around each round), which barely depends on other jobs' load.
 * <p>
 * Usage: {@code java -Dab.pidA=<pid> -Dab.pidB=<pid> -cp bench/target/flotilla-bench.jar
 * io.flotilla.bench.tx.PhaseTwoAbDriver <urlA> <urlB> <signing key> [seconds=10] [clients=8] [rounds=3]
 * [resource=debit] [warmupSeconds=10]}
 */
public final class PhaseTwoAbDriver {

    private PhaseTwoAbDriver() {
    }

    public static void main(String[] args) throws Exception {
        String key = args[2];
        Duration duration = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 10);
        int clients = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        String resource = args.length > 6 ? args[6] : "debit";
        Duration warmup = Duration.ofSeconds(args.length > 7 ? Long.parseLong(args[7]) : 10);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Target a = new Target("A", args[0], Long.getLong("ab.pidA", 0));
            Target b = new Target("B", args[1], Long.getLong("ab.pidB", 0));
            for (Target target : List.of(a, b)) {
                if (!URI.create(target.baseUrl).getHost().matches("127\\.0\\.0\\.1|localhost")) {
                    throw new IllegalArgumentException("load is only driven against loopback, got " + target.baseUrl);
                }
                System.out.printf("warm-up %s: %,d calls%n", target.name,
                        run(http, target, key, resource, warmup, clients).ok);
            }
            double[][] sums = new double[2][2];
            for (int round = 1; round <= rounds; round++) {
                for (Target target : round % 2 == 1 ? List.of(a, b) : List.of(b, a)) {
                    long cpuBefore = target.cpuMillis();
                    Round result = run(http, target, key, resource, duration, clients);
                    double cpuMillisPerCall = (target.cpuMillis() - cpuBefore) / (double) Math.max(1, result.ok);
                    int side = target == a ? 0 : 1;
                    sums[side][0] += result.ok / result.seconds;
                    sums[side][1] += cpuMillisPerCall;
                    System.out.printf("round %d  %s  %,8.0f calls/s  errors %d  participant CPU %.3f ms/call  load %s%n",
                            round, target.name, result.ok / result.seconds, result.failed, cpuMillisPerCall,
                            Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                }
            }
            System.out.printf("%nmean of %d rounds: A %,.0f calls/s %.3f ms CPU/call; B %,.0f calls/s %.3f ms CPU/call;"
                            + " A/B calls/s %.2fx, B/A CPU per call %.2fx%n", rounds, sums[0][0] / rounds,
                    sums[0][1] / rounds, sums[1][0] / rounds, sums[1][1] / rounds, sums[0][0] / sums[1][0],
                    sums[1][1] / sums[0][1]);
        }
    }

    private static Round run(HttpClient http, Target target, String key, String resource, Duration duration,
                             int clients) {
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        String path = "/flotilla/tx/tcc/" + resource + "/cancel";
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        byte[] body = ("{\"xid\":\"bench-" + UUID.randomUUID() + "\",\"branchId\":1}")
                                .getBytes(StandardCharsets.UTF_8);
                        long now = System.currentTimeMillis();
                        String nonce = RequestSignature.newNonce();
                        HttpRequest request = HttpRequest.newBuilder(URI.create(target.baseUrl + path))
                                .header("Content-Type", "application/json")
                                .header(FlotillaHeaders.SIGNATURE_TIMESTAMP, Long.toString(now))
                                .header(FlotillaHeaders.SIGNATURE_NONCE, nonce)
                                .header(FlotillaHeaders.SIGNATURE,
                                        RequestSignature.sign(key, "POST", path, now, nonce, body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        try {
                            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            (status == 200 ? ok : failed).increment();
                        } catch (Exception e) {
                            failed.increment();
                        }
                    }
                });
            }
        }
        return new Round(ok.sum(), failed.sum(), (System.nanoTime() - start) / 1e9);
    }

    private record Round(long ok, long failed, double seconds) {
    }

    private record Target(String name, String baseUrl, long pid) {

        /** The process's user + system CPU time in ms, 0 without a pid. */
        long cpuMillis() {
            if (pid == 0) {
                return 0;
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // After the command: state is field 0, utime 11, stime 12, in clock ticks (100 per second on Linux).
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}

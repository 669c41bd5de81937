package io.flotilla.bench.tx;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.tx.core.HttpCoordinatorClient;
import io.flotilla.tx.message.CoordinatorMessagePublisher;
import io.flotilla.tx.message.MessageBarrier;
import io.flotilla.tx.message.MessageTargets;
import io.flotilla.tx.message.TransactionalMessages;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two-phase messages end to end, against a baseline in the same run: a producer in this JVM runs local
 * transactions on PostgreSQL (insert an order row), with and without {@code TransactionalMessages.send} of one
 * message to a receiver in this JVM (a JDK HTTP server that counts distinct message ids), through a running
 * coordinator. Phases, each {@code seconds} long at {@code concurrency} producers:
 * <ul>
 *   <li>{@code local}: the local transaction alone (the baseline);</li>
 *   <li>{@code local + send}: the same transaction with a message: prepare at the coordinator inside the
 *       transaction, the barrier row in it, the submit after the commit. Reported: producer calls/s, the time the
 *       local transaction stays open (its overhead) and the whole call, and messages/s delivered end to end (from
 *       the phase's start until the last of its messages reached the receiver).</li>
 * </ul>
 * Usage: {@code java -cp bench/target/flotilla-bench.jar io.flotilla.bench.tx.MessageThroughputDriver
 * coordinatorUrl [seconds=15] [concurrency=8] [jdbcUrl=jdbc:postgresql://127.0.0.1:5432/test] [user=postgres]}
 */
public final class MessageThroughputDriver {

    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\"\\s*:\\s*\"([^\"]+)\"");

    private MessageThroughputDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: coordinatorUrl [seconds] [concurrency] [jdbcUrl] [user]");
        }
        URI coordinatorUrl = URI.create(args[0]);
        if (!coordinatorUrl.getHost().matches("127\\.0\\.0\\.1|localhost")) {
            throw new IllegalArgumentException("load is only driven against loopback, got " + coordinatorUrl);
        }
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 15);
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        String jdbcUrl = args.length > 3 ? args[3] : "jdbc:postgresql://127.0.0.1:5432/test";
        String user = args.length > 4 ? args[4] : "postgres";

        String schema = "flotilla_bench_msg_" + UUID.randomUUID().toString().substring(0, 8);
        JdbcTemplate admin = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, user, ""));
        admin.execute("CREATE SCHEMA " + schema);
        Set<String> received = ConcurrentHashMap.newKeySet();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher id = MESSAGE_ID.matcher(body);
            if (id.find() && received.add(id.group(1))) {
                receivedAt.put(id.group(1), System.nanoTime());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.start();
        try {
            DriverManagerDataSource dataSource = new DriverManagerDataSource(jdbcUrl + "?currentSchema=" + schema,
                    user, "");
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("CREATE TABLE bench_orders (id VARCHAR(64) PRIMARY KEY, total_cents BIGINT)");
            jdbc.execute("CREATE TABLE flotilla_tx_message_barrier (xid VARCHAR(128) PRIMARY KEY, "
                    + "status VARCHAR(16) NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            HttpCoordinatorClient coordinator = new HttpCoordinatorClient(List.of(coordinatorUrl),
                    Duration.ofSeconds(2), Duration.ofSeconds(30));
            // The check-back is not reached: every message is submitted well within a minute.
            TransactionalMessages messages = new TransactionalMessages(new CoordinatorMessagePublisher(coordinator,
                    new MessageBarrier(dataSource), () -> "http://127.0.0.1:9/unused", Duration.ofMinutes(1)),
                    JsonMapper.builder().build());
            String target = MessageTargets.receiver("http://127.0.0.1:" + receiver.getAddress().getPort(), "bench");

            Recorder localOpen = new Recorder(3);
            Recorder sendOpen = new Recorder(3);
            Work local = () -> {
                String id = UUID.randomUUID().toString();
                transactions.executeWithoutResult(status -> {
                    long opened = System.nanoTime();
                    jdbc.update("INSERT INTO bench_orders (id, total_cents) VALUES (?, ?)", id, 1250);
                    localOpen.recordValue(System.nanoTime() - opened);
                });
            };
            Work withMessage = () -> {
                String id = UUID.randomUUID().toString();
                transactions.executeWithoutResult(status -> {
                    long opened = System.nanoTime();
                    jdbc.update("INSERT INTO bench_orders (id, total_cents) VALUES (?, ?)", id, 1250);
                    messages.send("order-confirmed", List.of(target), Map.of("orderId", id, "totalCents", 1250));
                    sendOpen.recordValue(System.nanoTime() - opened);
                });
            };

            Duration warmUp = Duration.ofSeconds(Math.max(3, duration.toSeconds() / 3));
            run(local, warmUp, concurrency);
            run(withMessage, warmUp, concurrency);
            awaitDelivered(received, received.size(), Duration.ofSeconds(60));
            localOpen.reset();
            sendOpen.reset();

            Result localResult = run(local, duration, concurrency);
            Histogram localTx = localOpen.getIntervalHistogram();
            int before = received.size();
            receivedAt.clear();
            long phaseStart = System.nanoTime();
            Result sendResult = run(withMessage, duration, concurrency);
            Histogram sendTx = sendOpen.getIntervalHistogram();
            long sent = sendResult.completed();
            awaitDelivered(received, before + sent, Duration.ofSeconds(120));
            long lastDelivery = receivedAt.values().stream().mapToLong(Long::longValue).max().orElse(phaseStart);
            double deliveredPerSecond = receivedAt.size() / ((lastDelivery - phaseStart) / 1e9);

            System.out.println();
            System.out.printf("concurrency %d, %d s per phase, coordinator %s, PostgreSQL %s%n", concurrency,
                    duration.toSeconds(), coordinatorUrl, jdbcUrl);
            System.out.printf("%-40s %10s %12s %12s %12s %8s %9s%n", "phase", "calls/s", "call p50 ms",
                    "tx open p50", "tx open p99", "errors", "vs local");
            print("local tx (insert), the baseline", localResult, localTx, localResult);
            print("local tx + TransactionalMessages.send", sendResult, sendTx, localResult);
            System.out.printf("messages delivered end to end: %d of %d sent, %,.0f messages/s (phase start to last "
                    + "delivery)%n", receivedAt.size(), sent, deliveredPerSecond);
        } finally {
            receiver.stop(0);
            admin.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void print(String name, Result result, Histogram open,
                              Result baseline) {
        System.out.printf("%-40s %,10.0f %12.2f %12.2f %12.2f %8d %9s%n", name, result.perSecond(),
                result.histogram().getValueAtPercentile(50) / 1e6, open.getValueAtPercentile(50) / 1e6,
                open.getValueAtPercentile(99) / 1e6, result.failed(),
                String.format("%.2fx", result.perSecond() / baseline.perSecond()));
    }

    private static void awaitDelivered(Set<String> received, long count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static Result run(Work work, Duration duration, int concurrency) {
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
        return new Result(ok.sum(), failed.sum(), (System.nanoTime() - start) / 1e9, recorder.getIntervalHistogram());
    }

    /** One unit of work of a phase. */
    @FunctionalInterface
    private interface Work {
        void run();
    }

    private record Result(long completed, long failed, double seconds, Histogram histogram) {

        double perSecond() {
            return completed / seconds;
        }
    }
}

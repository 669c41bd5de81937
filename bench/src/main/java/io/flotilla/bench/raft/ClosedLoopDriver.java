package io.flotilla.bench.raft;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load driver: each of {@code clients} logical clients keeps exactly one put outstanding
 * and sends the next as soon as the previous one is committed. Clients are futures, not threads, so 256
 * of them cost nothing and the same driver serves every target alike.
 *
 * <p>Completions are handled on the driver's own thread, not on whatever thread completed the put (the Raft
 * leader's event loop, or a gRPC executor), so the driver's bookkeeping is never charged to the system
 * under test and a put that completes at once cannot recurse.
 */
public final class ClosedLoopDriver {

    /** Pause after a failed put, so a target that fails fast is not hammered in a tight loop. */
    private static final long ERROR_BACKOFF_MILLIS = 10;

    /**
     * One measured run.
     *
     * @param clientCpuMicrosPerOp CPU time of this whole JVM (driver and client library) per operation over the
     *                             measured window: what the client costs the cores it shares with the servers
     */
    public record Result(String target, int clients, long operations, double seconds, double p50Millis,
                         double p99Millis, long errors, double clientCpuMicrosPerOp) {

        public double opsPerSecond() {
            return operations / seconds;
        }
    }

    private final KvTarget target;
    private final int clients;
    private final int valueBytes;

    public ClosedLoopDriver(KvTarget target, int clients, int valueBytes) {
        this.target = target;
        this.clients = clients;
        this.valueBytes = valueBytes;
    }

    /** Runs for {@code warmup} (discarded) then {@code measure}, and waits for outstanding puts. */
    public Result run(Duration warmup, Duration measure) throws InterruptedException {
        Recorder latencies = new Recorder(3);
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stopping = new AtomicBoolean(false);
        CountDownLatch finished = new CountDownLatch(clients);
        byte[] value = new byte[valueBytes];
        ExecutorService callbacks = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "load-driver-" + target.name());
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int client = 0; client < clients; client++) {
                Client started = new Client(client, value, latencies, completed, errors, measuring, stopping,
                        finished, callbacks);
                callbacks.execute(started::next);
            }
            Thread.sleep(warmup.toMillis());
            latencies.reset();
            completed.set(0);
            errors.set(0);
            measuring.set(true);
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            Thread.sleep(measure.toMillis());
            measuring.set(false);
            long operations = completed.get();
            long cpu = processCpuNanos() - cpuStart;
            double seconds = (System.nanoTime() - start) / 1e9;
            Histogram histogram = latencies.getIntervalHistogram();
            stopping.set(true);
            if (!finished.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(target.name() + ": puts still outstanding 30 s after the run ended");
            }
            return new Result(target.name(), clients, operations, seconds, histogram.getValueAtPercentile(50) / 1e6,
                    histogram.getValueAtPercentile(99) / 1e6, errors.get(), cpu / 1e3 / Math.max(1, operations));
        } finally {
            callbacks.shutdownNow();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private final class Client {
        private final String keyPrefix;
        private final byte[] value;
        private final Recorder latencies;
        private final AtomicLong completed;
        private final AtomicLong errors;
        private final AtomicBoolean measuring;
        private final AtomicBoolean stopping;
        private final CountDownLatch finished;
        private final ExecutorService callbacks;
        private long sequence;

        Client(int id, byte[] value, Recorder latencies, AtomicLong completed, AtomicLong errors,
               AtomicBoolean measuring, AtomicBoolean stopping, CountDownLatch finished, ExecutorService callbacks) {
            this.keyPrefix = "bench/" + id + "/";
            this.value = value;
            this.latencies = latencies;
            this.completed = completed;
            this.errors = errors;
            this.measuring = measuring;
            this.stopping = stopping;
            this.finished = finished;
            this.callbacks = callbacks;
        }

        void next() {
            if (stopping.get()) {
                finished.countDown();
                return;
            }
            long started = System.nanoTime();
            CompletableFuture<?> put;
            try {
                // A bounded key space per client keeps the stores' size steady across long runs.
                put = target.put(keyPrefix + (sequence++ % 1024), value);
            } catch (RuntimeException e) {
                put = CompletableFuture.failedFuture(e);
            }
            put.whenCompleteAsync((ignored, failure) -> {
                if (failure == null) {
                    if (measuring.get()) {
                        latencies.recordValue(System.nanoTime() - started);
                        completed.incrementAndGet();
                    }
                    next();
                } else {
                    if (measuring.get()) {
                        errors.incrementAndGet();
                    }
                    CompletableFuture.delayedExecutor(ERROR_BACKOFF_MILLIS, TimeUnit.MILLISECONDS, callbacks)
                            .execute(this::next);
                }
            }, callbacks);
        }
    }
}

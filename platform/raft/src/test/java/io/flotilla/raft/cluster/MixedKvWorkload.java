package io.flotilla.raft.cluster;

import io.flotilla.testsupport.linearizability.HistoryRecorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client threads issuing a mix of operations until stopped: puts, compare-and-sets and linearizable reads
 * on a few shared keys (where linearizability can be violated), and puts to keys of their own that are
 * never overwritten (the "ledger", so every acknowledged write can be looked up afterwards).
 */
final class MixedKvWorkload {

    static final int SHARED_KEYS = 8;

    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, String> acknowledgedLedger = new ConcurrentHashMap<>();
    private final AtomicLong acknowledgedWrites = new AtomicLong();
    private final AtomicLong lastAcknowledgedWriteInvokedAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Duration operationTimeout;
    private volatile boolean stopping;

    MixedKvWorkload(LoopbackCluster cluster, HistoryRecorder history, int clients, Duration operationTimeout) {
        this.operationTimeout = operationTimeout;
        for (int clientId = 0; clientId < clients; clientId++) {
            KvClient client = new KvClient(clientId, cluster, history, operationTimeout);
            int id = clientId;
            Thread thread = new Thread(() -> run(id, client), "kv-client-" + clientId);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** Stops issuing, waits for the operations in flight to finish or give up, and rethrows a client's crash. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join(operationTimeout.plusSeconds(5).toMillis());
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop");
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a client thread crashed", failure.get());
        }
    }

    long acknowledgedWrites() {
        return acknowledgedWrites.get();
    }

    /** {@link System#nanoTime()} at which the most recently invoked acknowledged write was sent. */
    long lastAcknowledgedWriteInvokedAt() {
        return lastAcknowledgedWriteInvokedAt.get();
    }

    Map<String, String> acknowledgedLedger() {
        return Map.copyOf(acknowledgedLedger);
    }

    private void run(int clientId, KvClient client) {
        SplittableRandom random = new SplittableRandom(clientId);
        Map<String, String> lastSeen = new HashMap<>();
        try {
            for (long n = 1; !stopping; n++) {
                String value = "c" + clientId + "-" + n;
                String sharedKey = "k" + random.nextInt(SHARED_KEYS);
                long invokedAt = System.nanoTime();
                int choice = random.nextInt(100);
                boolean acknowledged;
                if (choice < 20) {
                    String ledgerKey = "ledger-" + clientId + "-" + n;
                    acknowledged = client.put(ledgerKey, value);
                    if (acknowledged) {
                        acknowledgedLedger.put(ledgerKey, value);
                    }
                } else if (choice < 50) {
                    acknowledged = client.put(sharedKey, value);
                    lastSeen.put(sharedKey, value);
                } else if (choice < 75) {
                    Optional<Boolean> swapped = client.cas(sharedKey, lastSeen.get(sharedKey), value);
                    acknowledged = swapped.isPresent();
                    if (swapped.orElse(false)) {
                        lastSeen.put(sharedKey, value);
                    }
                } else {
                    client.get(sharedKey).ifPresent(read -> lastSeen.put(sharedKey, read.isEmpty() ? null : read));
                    acknowledged = false;
                }
                if (acknowledged) {
                    acknowledgedWrites.incrementAndGet();
                    lastAcknowledgedWriteInvokedAt.accumulateAndGet(invokedAt, Math::max);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }
}

package io.flotilla.txcoordinator.phasetwo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Groups phase-two calls per participant endpoint without a timer: an endpoint has at most one batch in flight; a
 * call due while it is idle is sent at once, alone, and the calls that become due while a batch is in flight are
 * sent together, up to {@code maxBatch} of them, as soon as it returns. One client therefore waits for nothing it
 * did not wait for before, and under load the batches grow with the queue instead of the number of requests.
 *
 * @param <T> one call as the sender needs it
 */
final class PerParticipantBatcher<T> {

    private final int maxBatch;
    /** Sends one batch to an endpoint; its future completes when the endpoint answered (or the call failed). */
    private final BiFunction<String, List<T>, CompletableFuture<?>> sender;
    private final Map<String, Lane<T>> lanes = new ConcurrentHashMap<>();

    PerParticipantBatcher(int maxBatch, BiFunction<String, List<T>, CompletableFuture<?>> sender) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.maxBatch = maxBatch;
        this.sender = sender;
    }

    /** Sends {@code call} to {@code endpoint} now if nothing is in flight there, else with the next batch. */
    void submit(String endpoint, T call) {
        Lane<T> lane = lanes.computeIfAbsent(endpoint, Lane::new);
        List<T> batch;
        synchronized (lane) {
            lane.queued.add(call);
            if (lane.inFlight) {
                return;
            }
            lane.inFlight = true;
            batch = lane.take(maxBatch);
        }
        send(lane, batch);
    }

    /** Calls waiting for an endpoint's batch in flight (for tests and diagnostics). */
    int queued(String endpoint) {
        Lane<T> lane = lanes.get(endpoint);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return lane.queued.size();
        }
    }

    private void send(Lane<T> lane, List<T> batch) {
        CompletableFuture<?> sent;
        try {
            sent = sender.apply(lane.endpoint, batch);
        } catch (RuntimeException failure) {
            sent = CompletableFuture.failedFuture(failure);
        }
        sent.whenComplete((answered, failure) -> next(lane));
    }

    private void next(Lane<T> lane) {
        List<T> batch;
        synchronized (lane) {
            if (lane.queued.isEmpty()) {
                lane.inFlight = false;
                return;
            }
            batch = lane.take(maxBatch);
        }
        send(lane, batch);
    }

    /** One endpoint's queue; guarded by its own monitor. */
    private static final class Lane<T> {

        final String endpoint;
        final Queue<T> queued = new ArrayDeque<>();
        boolean inFlight;

        Lane(String endpoint) {
            this.endpoint = endpoint;
        }

        List<T> take(int max) {
            List<T> batch = new ArrayList<>(Math.min(max, queued.size()));
            while (batch.size() < max && !queued.isEmpty()) {
                batch.add(queued.poll());
            }
            return batch;
        }
    }
}
